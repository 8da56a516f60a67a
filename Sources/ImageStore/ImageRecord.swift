/// One layer of a stored image.
public struct LayerRecord: Codable, Equatable, Sendable {
    /// Digest of the uncompressed tar; names the shared unpacked directory.
    public var diffID: Digest
    /// Digest of the blob as distributed (compressed or not).
    public var blobDigest: Digest
    /// The layer media type (synthesized from the content for `docker save` archives).
    public var mediaType: String
    /// Size of the blob in bytes.
    public var size: Int64

    public init(diffID: Digest, blobDigest: Digest, mediaType: String, size: Int64) {
        self.diffID = diffID
        self.blobDigest = blobDigest
        self.mediaType = mediaType
        self.size = size
    }
}

/// A stored image under one name (or untagged), as kept in `images.json`.
///
/// An image with two tags has two records sharing `id`, manifest and layers.
public struct ImageRecord: Codable, Equatable, Sendable {
    /// The name, or nil for an image whose tag was moved to another image.
    public var reference: Reference?
    /// The image id: the digest of the config blob.
    public var id: Digest
    /// Digest of the image manifest (synthesized for `docker save` archives).
    public var manifestDigest: Digest
    /// Layers, bottom first.
    public var layers: [LayerRecord]
    /// Bytes of manifest, config and layer blobs.
    public var size: Int64
    /// Creation time from the image config (RFC 3339), if it had one.
    public var created: String?
    public var os: String?
    public var architecture: String?
    /// Digest of the image index (manifest list) the manifest was chosen from, for images
    /// pulled through one, so `name@<index digest>` finds the image too.
    public var indexDigest: Digest?
}

/// Everything the runtime needs to start a container from an image.
public struct ResolvedImage: Sendable {
    /// The record the reference matched.
    public var record: ImageRecord
    /// The full image config.
    public var config: ImageConfig
    /// Unpacked layer directories, bottom first (overlayfs wants them top first in
    /// `lowerdir=`, so reverse before joining).
    public var layerDirectories: [String]

    /// The runtime defaults (User, Env, Entrypoint, Cmd, WorkingDir, ExposedPorts, Labels, Healthcheck).
    public var runtimeConfig: ImageRuntimeConfig { config.config ?? ImageRuntimeConfig() }
}
