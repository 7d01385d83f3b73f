import PortfolioCore
import Testing

/// Node URLs lose their secrets before health, logs or errors show them.
@Suite struct URLRedactionTests {
  @Test func userinfoIsRemoved() {
    #expect(URLRedaction.redact("https://user:pass@rpc.example.com/") == "https://rpc.example.com/")
    #expect(URLRedaction.redact("http://alice@127.0.0.1:8545") == "http://127.0.0.1:8545")
    // A password holding an `@` (unencoded) is cut at the last one.
    #expect(URLRedaction.redact("https://u:p@ss@node.example:443/rpc") == "https://node.example:443/rpc")
  }

  @Test func queryAndFragmentAreRemoved() {
    #expect(
      URLRedaction.redact("https://rpc.ankr.com/eth?apikey=0123456789abcdef&x=1")
        == "https://rpc.ankr.com/eth")
    #expect(URLRedaction.redact("https://node.example/rpc#token=secret") == "https://node.example/rpc")
    // An `@` or `/` in the query is not mistaken for userinfo or path.
    #expect(URLRedaction.redact("https://node.example?to=me@x.org/y") == "https://node.example")
  }

  @Test func alchemyAndInfuraKeysInThePathAreMasked() {
    #expect(
      URLRedaction.redact("https://eth-mainnet.g.alchemy.com/v2/aBcD1234efGH5678ijKL9012mnOP3456")
        == "https://eth-mainnet.g.alchemy.com/v2/***")
    #expect(
      URLRedaction.redact("https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161")
        == "https://mainnet.infura.io/v3/***")
    // After a version any long segment is a key, even one of letters only.
    #expect(
      URLRedaction.redact("https://eth-mainnet.g.alchemy.com/v2/abcdefghijklmnopqrstuvwxyzabcdef")
        == "https://eth-mainnet.g.alchemy.com/v2/***")
    // QuickNode: a hex token as a whole segment, with a trailing slash.
    #expect(
      URLRedaction.redact("https://old-fragrant.quiknode.pro/0f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccdd/")
        == "https://old-fragrant.quiknode.pro/***/")
  }

  @Test func everySecretGoesAtOnce() {
    #expect(
      URLRedaction.redact("https://bob:hunter2@eth.example.com:8443/v2/Zx9_kQ-31LmNoPqRsT?key=1#f")
        == "https://eth.example.com:8443/v2/***")
  }

  @Test func plainURLsAreUnchanged() {
    for url in [
      "https://ethereum-rpc.publicnode.com", "https://api.mainnet-beta.solana.com",
      "https://arb1.arbitrum.io/rpc", "http://127.0.0.1:8545/ethereum", "https://bsc-dataseed.bnbchain.org",
      "https://rpc.example.com/ethereum-mainnet-archive/", "http://[::1]:8899/solana",
      "https://node.example/v1/mainnet",
    ] {
      #expect(URLRedaction.redact(url) == url)
    }
  }

  @Test func urlsInsideTextAreRedacted() {
    let text =
      "ethereum node at https://u:pw@eth-mainnet.g.alchemy.com/v2/aBcD1234efGH5678ijKL9012mnOP3456?x=1 said "
      + "HTTP 401 (see https://docs.example.com/errors), curl said \"http://h.example/v3/9aa3d95b3bc440fa88ea12eaa4456161\""
    #expect(
      URLRedaction.redactURLs(in: text)
        == "ethereum node at https://eth-mainnet.g.alchemy.com/v2/*** said "
        + "HTTP 401 (see https://docs.example.com/errors), curl said \"http://h.example/v3/***\"")
    #expect(URLRedaction.redactURLs(in: "no URL here: 42") == "no URL here: 42")
  }

  @Test func wordsAndRouteNamesAreNotKeys() {
    for url in [
      "https://node.example/polygon2-mainnet", "https://node.example/getBalanceHistory/rpc",
      "https://node.example/12345678901234567890", "https://node.example/v2/short",
    ] {
      #expect(URLRedaction.redact(url) == url)
    }
    // A random token between separators is still a key.
    #expect(
      URLRedaction.redact("https://node.example/rpc/k_3f9a8b7c6d5e4f") == "https://node.example/rpc/***")
  }
}
