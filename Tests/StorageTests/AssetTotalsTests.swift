import BigInt
import Foundation
import PortfolioCore
import Testing

@testable import Storage

/// SQLite's limb-wise sums against sums made here with big integers.
@Suite struct AssetTotalsTests {
  @Test func sumsAmountsOfEverySizeExactly() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("totals-\(UUID().uuidString)/p.sqlite").path
    let database = try AppDatabase(path: path)
    let now = Date(millisecondsSince1970: 1_767_225_600_000)
    let wallets = (0..<40).map { index in
      Wallet(
        chain: "ethereum", address: "0x" + String(repeating: "0", count: 38) + String(format: "%02x", index),
        label: nil, createdAt: now, updatedAt: now)
    }
    try WalletStore(database).addAll(wallets)
    // Amounts from 0 to just below 2^256, with digits in every limb and carries between them.
    let max = BigUInt(1) << 256 - 1
    var generator = SystemRandomNumberGenerator()
    var expected: [String: BigUInt] = [:]
    var readings: [StoredBalance] = []
    for (index, wallet) in wallets.enumerated() {
      let amounts: [(String?, BigUInt)] = [
        (nil, index == 0 ? max : BigUInt(999_999_999) * BigUInt(index)),
        (
          "0x00000000000000000000000000000000000000aa",
          BigUInt.randomInteger(withMaximumWidth: 255, using: &generator)
        ),
        ("0x00000000000000000000000000000000000000bb", BigUInt(index % 3 == 0 ? 0 : 10).power(index % 40)),
      ]
      for (token, amount) in amounts {
        expected[token ?? "", default: 0] += amount
        readings.append(
          StoredBalance(
            walletID: wallet.id, token: token, symbol: token == nil ? "ETH" : "T", decimals: 18,
            raw: BaseUnits(amount), block: nil, updatedAt: now.addingTimeInterval(Double(index))))
      }
    }
    _ = try BalanceStore(database).apply(chain: "ethereum", readings: readings)
    let totals = try AssetTotals(database).current(owner: .first)
    #expect(
      totals.map { $0.asset.storedToken } == [
        "", "0x00000000000000000000000000000000000000aa", "0x00000000000000000000000000000000000000bb",
      ])
    for total in totals {
      #expect(total.raw == expected[total.asset.storedToken], "\(total.asset)")
    }
    #expect(totals[0].wallets == 40)
    #expect(totals[0].oldestUpdate == now)
    // The sums made in Swift from the same balances agree.
    let fromBalances = AssetTotal.sum(try BalanceStore(database).allBalances())
    #expect(fromBalances == totals)
  }
}
