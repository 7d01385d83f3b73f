extension PublishedVectors {
  /// The Standard Webhooks libraries' signing vector: the "sign function works" tests of
  /// github.com/standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts
  /// and libraries/python/tests/test_webhooks.py (test_sign_function).
  enum StandardWebhooks {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp: Int64 = 1_614_265_330
    static let payload = #"{"test": 2432232314}"#
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
  }
}
