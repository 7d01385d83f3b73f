import CWebSockets

/// The C entry point for every libwebsockets event. A plain function, so it converts to a C
/// function pointer; it finds the Swift state through the context's user pointer.
func serviceCallback(
  wsi: OpaquePointer?, reason: lws_callback_reasons, user: UnsafeMutableRawPointer?,
  input: UnsafeMutableRawPointer?, length: Int
) -> Int32 {
  guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else {
    return 0
  }
  let state = Unmanaged<ServiceThreadState>.fromOpaque(raw).takeUnretainedValue()
  return state.handle(wsi: wsi, reason: reason, user: user, input: input, length: length)
}
