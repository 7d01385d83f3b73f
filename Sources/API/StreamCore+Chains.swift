import LiveUpdates
import WebServer

/// The `chains` topic: every chain's health as `chain_status` frames, outside the change log.
extension StreamCore {
  /// `chains`: every chain's state now, then each change, until unsubscribed. Chains are
  /// shared, so any user may follow them; `since` and `epoch` do not apply and are ignored.
  func subscribeChains(connection: WebSocketConnection, state: inout StreamSessionState)
    throws(StreamMessageError)
  {
    guard !state.chains else {
      throw StreamMessageError(
        code: "already_subscribed",
        message: "Already subscribed to 'chains'; unsubscribe first to start it over.")
    }
    try checkTopicLimit(state)
    state.chains = true
    health.follow(id: connection.id) { connection.send(bytes: $0) }
  }

  func checkTopicLimit(_ state: StreamSessionState) throws(StreamMessageError) {
    guard state.topicCount < limits.topicsPerConnection else {
      throw StreamMessageError(
        code: "too_many_topics", message: "At most \(limits.topicsPerConnection) topics per connection.")
    }
  }

  func unsubscribeChains(connection: WebSocketConnection, state: inout StreamSessionState)
    throws(StreamMessageError)
  {
    guard state.chains else {
      throw StreamMessageError(code: "not_subscribed", message: "Not subscribed to 'chains'.")
    }
    state.chains = false
    health.unfollow(id: connection.id)
    connection.send(bytes: StreamFrames.acknowledgement("unsubscribed", topicName: StreamMessage.chainsTopic))
  }
}
