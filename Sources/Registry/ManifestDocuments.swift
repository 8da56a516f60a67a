import ImageStore

extension MediaType {
    /// What the client asks for in `Accept` when fetching a manifest.
    static let manifestAccept = [ociIndex, dockerManifestList, ociManifest, dockerManifest].joined(separator: ", ")
}

/// The fields of a manifest or index this client reads; which one it is comes from
/// `mediaType` (the document's, else the response's Content-Type).
struct ManifestDocument: Decodable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: OCIDescriptor?
    var layers: [OCIDescriptor]?
    var manifests: [OCIDescriptor]?
}
