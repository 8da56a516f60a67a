import ImageStore

/// What a pull reports as it goes, for progress displays and logs. Delivered on the
/// pulling threads (layer events from several at once).
public enum PullEvent: Sendable {
    /// The manifest is known: its digest and the layers (blob digest, size) bottom first.
    case resolved(image: String, manifestDigest: Digest, layers: [(digest: Digest, size: Int64)])
    /// A layer download started.
    case layerStarted(digest: Digest, size: Int64)
    /// `received` of `size` bytes of a layer have arrived.
    case layerProgress(digest: Digest, received: Int64, size: Int64)
    /// A layer is in the store; `downloaded` is false when it was there already (or
    /// another pull fetched it).
    case layerCompleted(digest: Digest, size: Int64, downloaded: Bool)
}
