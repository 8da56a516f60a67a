import Foundation
import ImageStore

/// The outcome of `ImagePuller.pull` / `ensureImage`.
public struct PullResult: Sendable {
    /// The stored image record the reference now names.
    public var record: ImageRecord
    /// False when the local image was used without contacting the registry (pull policy),
    /// or after a failed pull under the `default` policy (`fallbackError` says why).
    public var contactedRegistry: Bool
    /// Layer blobs downloaded by this pull (not counting layers already stored).
    public var layersDownloaded: Int
    /// Compressed bytes downloaded for layers.
    public var bytesDownloaded: Int64
    /// When the pull started and ended (ECS's pullStartedAt / pullStoppedAt).
    public var startedAt: Date
    public var stoppedAt: Date
    /// Under the `default` policy: the pull failure after which the local image was used.
    public var fallbackError: RegistryError?
}
