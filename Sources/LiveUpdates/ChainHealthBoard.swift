public import ChainClients
public import Foundation
public import Logging
public import PortfolioCore
public import ServiceLifecycle
import Synchronization

/// Every chain's health in one place. Pollers report each poll's outcome; a check once a
/// second catches what only time changes (a read that never comes, a breaker opened by a
/// manual fetch). Each change of status goes to the followers (stream connections on the
/// `chains` topic) as a `chain_status` frame.
///
/// Changes are sent while the board's lock is held, so every follower gets a chain's changes
/// in the order they happened, and one that starts following gets the current states before
/// any later change. Followers only queue bytes and never call back into the board.
public final class ChainHealthBoard: Service, Sendable {
  /// The chain's endpoints' breakers, read when its health is judged.
  public typealias Breakers = @Sendable () -> [CircuitBreaker.Position]
  public typealias Send = @Sendable ([UInt8]) -> Void

  private struct Chain {
    var health: ChainHealth
    let breakers: Breakers
  }

  private struct State {
    var chains: [ChainName: Chain]
    var followers: [UInt64: Send] = [:]
  }

  private struct Change {
    let chain: ChainName
    let health: ChainHealth
  }

  private let state: Mutex<State>
  private let logger: Logger
  private let checkEvery: Duration

  public init(
    chains: [ChainName: (policy: ChainHealthPolicy, breakers: Breakers)], logger: Logger,
    startedAt: Date = Date(), checkEvery: Duration = .seconds(1)
  ) {
    state = Mutex(
      State(
        chains: chains.mapValues {
          Chain(health: ChainHealth(policy: $0.policy, startedAt: startedAt), breakers: $0.breakers)
        }))
    self.logger = logger
    self.checkEvery = checkEvery
  }

  /// A poll of `chain` read it.
  public func succeeded(_ chain: ChainName, at time: Date = Date()) {
    update(chain) { chain in
      let breakers = chain.breakers()
      return chain.health.succeeded(at: time, breakers: breakers)
    }
  }

  /// A poll of `chain` failed; `error` must already be redacted.
  public func failed(_ chain: ChainName, error: String, at time: Date = Date()) {
    update(chain) { chain in
      let breakers = chain.breakers()
      return chain.health.failed(error, at: time, breakers: breakers)
    }
  }

  /// Judges every chain again at `time`.
  public func check(at time: Date = Date()) {
    let changes = state.withLock { state in
      var changes: [Change] = []
      for name in state.chains.keys.sorted() {
        guard var chain = state.chains[name] else { continue }
        let breakers = chain.breakers()
        if chain.health.evaluate(at: time, breakers: breakers) {
          changes.append(Change(chain: name, health: chain.health))
          Self.publish(name, chain.health, to: state.followers)
        }
        state.chains[name] = chain
      }
      return changes
    }
    changes.forEach(log)
  }

  public var healths: [ChainName: ChainHealth] { state.withLock { $0.chains.mapValues(\.health) } }

  /// Sends `send` a frame per chain with its current state now, and one for every change of
  /// status until `unfollow(id:)`.
  public func follow(id: UInt64, send: @escaping Send) {
    state.withLock { state in
      state.followers[id] = send
      for name in state.chains.keys.sorted() {
        guard let health = state.chains[name]?.health else { continue }
        send(ChainHealthFrames.chainStatus(name, health))
      }
    }
  }

  public func unfollow(id: UInt64) {
    _ = state.withLock { $0.followers.removeValue(forKey: id) }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        try? await Task.sleep(for: self.checkEvery)
        guard !Task.isCancelled else { return }
        self.check()
      }
    }
  }

  private func update(_ name: ChainName, _ body: (inout Chain) -> Bool) {
    let change = state.withLock { state -> Change? in
      guard var chain = state.chains[name] else { return nil }
      let changed = body(&chain)
      state.chains[name] = chain
      guard changed else { return nil }
      Self.publish(name, chain.health, to: state.followers)
      return Change(chain: name, health: chain.health)
    }
    change.map(log)
  }

  private static func publish(_ name: ChainName, _ health: ChainHealth, to followers: [UInt64: Send]) {
    guard !followers.isEmpty else { return }
    let frame = ChainHealthFrames.chainStatus(name, health)
    for send in followers.values { send(frame) }
  }

  private func log(_ change: Change) {
    let health = change.health
    var metadata: Logger.Metadata = [
      "chain": "\(change.chain)", "status": "\(health.status.rawValue)",
      "reason": "\(health.reason?.rawValue ?? "none")",
    ]
    if health.status != .ok, let error = health.lastError { metadata["error"] = "\(error)" }
    if health.status == .ok {
      logger.info("chain health changed", metadata: metadata)
    } else {
      logger.warning("chain health changed", metadata: metadata)
    }
  }
}
