import Foundation
import ImageStore

/// Media types of the distribution API, OCI and Docker v2 schema 2.
enum RegistryMediaType {
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    static let indexes: Set<String> = [ociIndex, dockerManifestList]
    static let manifests: Set<String> = [ociManifest, dockerManifest]
    /// Layer types the store unpacks (uncompressed tar or gzip).
    static let layers: Set<String> = [
        "application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar", "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    ]
    /// What the client asks for in `Accept` when fetching a manifest.
    static let accept = [ociIndex, dockerManifestList, ociManifest, dockerManifest].joined(separator: ", ")
}

/// A content descriptor as found in manifests and indexes.
struct RegistryDescriptor: Decodable, Sendable {
    struct Platform: Decodable, Sendable {
        var architecture: String
        var os: String
        var variant: String?
    }

    var mediaType: String?
    var digest: Digest
    var size: Int64
    var platform: Platform?
}

/// The fields of a manifest or index this client reads; which one it is comes from
/// `mediaType` (the document's, else the response's Content-Type).
struct ManifestDocument: Decodable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: RegistryDescriptor?
    var layers: [RegistryDescriptor]?
    var manifests: [RegistryDescriptor]?
}

/// The part of an image config the puller checks before downloading layers.
struct ConfigDocument: Decodable, Sendable {
    struct RootFS: Decodable, Sendable {
        var diffIDs: [Digest]
        enum CodingKeys: String, CodingKey { case diffIDs = "diff_ids" }
    }
    var rootfs: RootFS
}

enum PlatformSelection {
    /// The manifest of `index` for linux on this machine's architecture (for arm64, the
    /// `v8` variant or none).
    static func select(from manifests: [RegistryDescriptor]) -> RegistryDescriptor? {
        let host = ImageStore.hostPlatform
        let candidates = manifests.filter { descriptor in
            guard let platform = descriptor.platform else { return false }
            return platform.os == host.os && platform.architecture == host.architecture
                && RegistryMediaType.manifests.contains(descriptor.mediaType ?? RegistryMediaType.ociManifest)
        }
        if host.architecture == "arm64" {
            return candidates.first { $0.platform?.variant == "v8" } ?? candidates.first { $0.platform?.variant == nil } ?? candidates.first
        }
        return candidates.first
    }
}
