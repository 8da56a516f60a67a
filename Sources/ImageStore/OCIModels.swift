/// Media types the store understands, from the OCI image spec and Docker's v2 schema.
public enum MediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"

    /// Image indexes (multi-platform images).
    public static let indexes: Set<String> = [ociIndex, dockerManifestList]
    /// Single-platform image manifests.
    public static let manifests: Set<String> = [ociManifest, dockerManifest]
    /// Image configs.
    public static let configs: Set<String> = [ociConfig, dockerConfig]

    /// How a layer blob is compressed, judged by its media type.
    public enum LayerCompression: String, Codable, Sendable {
        case none, gzip, zstd

        /// The OCI layer media type of a blob compressed this way.
        public var mediaType: String {
            switch self {
            case .none: MediaType.ociLayer
            case .gzip: MediaType.ociLayerGzip
            case .zstd: MediaType.ociLayerZstd
            }
        }

        /// The compression `input` is in: the one its first bytes announce (gzip's and zstd's
        /// magic numbers), else `declared` (its media type's word). Trusts the bytes over the
        /// media type because some tools label gzip layers as plain tar. Zstd's skippable
        /// frames are not sniffed: a blob that starts with one is taken at `declared`'s word.
        /// Peeks, so `input` still yields every byte.
        static func detect(in input: PeekableStream, declared: LayerCompression) throws(ImageStoreError) -> LayerCompression {
            let leading = try input.peek(4)
            if leading.starts(with: [0x1f, 0x8b]) { return .gzip }
            if leading.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
            return declared
        }
    }

    /// The compression a layer media type implies; nil for unknown media types: a layer
    /// type the store can unpack is one with a compression.
    public static func layerCompression(_ mediaType: String) -> LayerCompression? {
        switch mediaType {
        case ociLayer, "application/vnd.oci.image.layer.nondistributable.v1.tar", "application/vnd.docker.image.rootfs.diff.tar":
            return LayerCompression.none
        case ociLayerGzip, dockerLayerGzip, "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
             "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
            return .gzip
        case ociLayerZstd, "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd":
            return .zstd
        default:
            return nil
        }
    }
}

/// The platform a manifest in an image index is for.
public struct OCIPlatform: Codable, Sendable {
    public var architecture: String
    public var os: String
    public var variant: String?
}

/// An OCI content descriptor (as found in manifests and indexes).
public struct OCIDescriptor: Codable, Sendable {
    /// Absent in some documents; readers assume the usual type for the position.
    public var mediaType: String?
    public var digest: Digest
    public var size: Int64
    public var annotations: [String: String]?
    public var platform: OCIPlatform?
}

/// `index.json` of a layout, or an image index blob.
struct OCIIndex: Codable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [OCIDescriptor]
    var annotations: [String: String]?
}

/// An image manifest (OCI or Docker v2 schema 2; the fields used are shared).
struct OCIManifest: Codable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
    var annotations: [String: String]?
}

/// `oci-layout`.
struct OCILayoutFile: Codable, Sendable {
    var imageLayoutVersion: String
}

/// One entry of a `docker save` archive's `manifest.json`.
struct DockerArchiveManifest: Codable, Sendable {
    var config: String
    var repoTags: [String]?
    var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config", repoTags = "RepoTags", layers = "Layers"
    }
}

/// A container health check from the image config (durations in nanoseconds, as stored).
public struct ImageHealthcheck: Codable, Equatable, Sendable {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`.
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var startInterval: Int64?
    public var retries: Int?

    enum CodingKeys: String, CodingKey {
        case test = "Test", interval = "Interval", timeout = "Timeout"
        case startPeriod = "StartPeriod", startInterval = "StartInterval", retries = "Retries"
    }
}

/// The runtime defaults an image asks for (`config` in the image config JSON).
public struct ImageRuntimeConfig: Codable, Equatable, Sendable {
    public var user: String?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var workingDir: String?
    /// Keys like `"80/tcp"`.
    public var exposedPorts: [String: EmptyObject]?
    public var volumes: [String: EmptyObject]?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var healthcheck: ImageHealthcheck?

    /// The `{}` values of the `ExposedPorts` and `Volumes` maps.
    public struct EmptyObject: Codable, Equatable, Sendable {
        public init() {}
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case user = "User", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd", workingDir = "WorkingDir"
        case exposedPorts = "ExposedPorts", volumes = "Volumes", labels = "Labels", stopSignal = "StopSignal"
        case healthcheck = "Healthcheck"
    }

    /// Exposed ports as written in the image, sorted (e.g. `["80/tcp"]`).
    public var exposedPortList: [String] { (exposedPorts ?? [:]).keys.sorted() }
}

/// The image configuration blob (OCI image config / Docker image JSON).
public struct ImageConfig: Codable, Equatable, Sendable {
    /// RFC 3339 creation time as written by the builder.
    public var created: String?
    public var author: String?
    public var architecture: String?
    public var os: String?
    public var variant: String?
    public var config: ImageRuntimeConfig?
    public var rootfs: RootFS

    /// The layer chain by uncompressed digest.
    public struct RootFS: Codable, Equatable, Sendable {
        public var type: String
        public var diffIDs: [Digest]

        enum CodingKeys: String, CodingKey {
            case type, diffIDs = "diff_ids"
        }
    }
}
