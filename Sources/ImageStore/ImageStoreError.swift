#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every failure the image store reports.
///
/// Each case names the step that failed and the image or file involved, and syscall
/// failures also carry the call and `errno`, so a message alone tells an operator
/// what Wharf was doing and why it stopped.
public enum ImageStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed while taking `step` on `path`.
    case system(step: String, path: String, call: String, errno: Int32)
    /// A tar stream ended in the middle of a header or of an entry's data.
    case truncatedTar(file: String, entry: String?, offset: UInt64)
    /// A tar header could not be decoded (bad checksum, bad number, bad pax record).
    case invalidTarHeader(file: String, offset: UInt64, reason: String)
    /// A tar entry type the unpacker does not handle (for example GNU sparse files).
    case unsupportedTarEntry(file: String, entry: String, type: String)
    /// A tar entry (or hardlink target) would land outside the directory being unpacked.
    case pathEscapesLayer(file: String, entry: String)
    /// Content did not hash to the digest it was named by.
    case digestMismatch(step: String, file: String, expected: String, actual: String)
    /// Content was not as long as its descriptor said.
    case sizeMismatch(step: String, file: String, expected: Int64, actual: Int64)
    /// A gzip stream could not be inflated.
    case decompressionFailed(file: String, zlibCode: Int32, message: String)
    /// A zstd stream could not be decompressed: the libzstd `function` that failed and its
    /// `ZSTD_getErrorName` text (or why the stream ended early).
    case zstdFailed(file: String, function: String, message: String)
    /// A media type the store does not know how to handle.
    case unknownMediaType(step: String, image: String, mediaType: String)
    /// A blob named by a manifest, index or docker manifest is not in the archive.
    case missingBlob(image: String, digest: String, path: String)
    /// A JSON document was missing, malformed or did not have the expected shape.
    case invalidJSON(step: String, file: String, detail: String)
    /// The directory or tar file is neither an OCI image layout nor a `docker save` archive.
    case notAnImageArchive(path: String)
    /// The OCI layout declares a layout version the store does not understand.
    case unsupportedLayoutVersion(path: String, version: String)
    /// An image index has no manifest for this machine's platform.
    case noMatchingPlatform(image: String, os: String, architecture: String)
    /// The manifest's layer list and the config's `rootfs.diff_ids` disagree in length.
    case layerCountMismatch(image: String, layers: Int, diffIDs: Int)
    /// A string is not a valid `algorithm:hex` digest (only sha256 is supported).
    case invalidDigest(String)
    /// A string is not a valid image reference.
    case invalidReference(String, reason: String)
    /// No stored image matches the reference or image id.
    case imageNotFound(reference: String)
    /// An image id prefix matches more than one stored image.
    case ambiguousReference(reference: String, matches: [String])
    /// A name override was given but the archive holds more than one image.
    case nameOverrideNeedsSingleImage(path: String, imageCount: Int)
    /// The source a blob was streamed from (a registry download) failed; its owner holds
    /// the full error and `detail` summarises it.
    case sourceFailed(step: String, detail: String)

    /// Builds a `.system` error from the calling thread's current `errno`.
    static func syscall(_ step: String, path: String, call: String) -> ImageStoreError {
        .system(step: step, path: path, call: call, errno: errno)
    }

    public var description: String {
        switch self {
        case let .system(step, path, call, code):
            let reason = strerror(code).map { String(cString: $0) } ?? "failed"
            return "\(step) (\(path)): \(call): \(reason) (errno \(code))"
        case let .truncatedTar(file, entry, offset):
            return "tar stream \(file) is truncated at byte \(offset)" + (entry.map { " inside entry \($0)" } ?? "")
        case let .invalidTarHeader(file, offset, reason):
            return "tar stream \(file): invalid header at byte \(offset): \(reason)"
        case let .unsupportedTarEntry(file, entry, type):
            return "tar stream \(file): entry \(entry) has unsupported type '\(type)'"
        case let .pathEscapesLayer(file, entry):
            return "tar stream \(file): entry \(entry) escapes the unpack directory"
        case let .digestMismatch(step, file, expected, actual):
            return "\(step): \(file) has digest \(actual), expected \(expected)"
        case let .sizeMismatch(step, file, expected, actual):
            return "\(step): \(file) is \(actual) bytes, expected \(expected)"
        case let .decompressionFailed(file, code, message):
            return "gunzip \(file): zlib error \(code): \(message)"
        case let .zstdFailed(file, function, message):
            return "unzstd \(file): \(function): \(message)"
        case let .unknownMediaType(step, image, mediaType):
            return "\(step) for \(image): unknown media type \(mediaType)"
        case let .missingBlob(image, digest, path):
            return "image \(image): blob \(digest) is missing (looked for \(path))"
        case let .invalidJSON(step, file, detail):
            return "\(step): \(file): \(detail)"
        case let .notAnImageArchive(path):
            return "\(path) is neither an OCI image layout (oci-layout + index.json) nor a docker save archive (manifest.json)"
        case let .unsupportedLayoutVersion(path, version):
            return "\(path): unsupported OCI layout version \(version)"
        case let .noMatchingPlatform(image, os, architecture):
            return "image index \(image) has no manifest for \(os)/\(architecture)"
        case let .layerCountMismatch(image, layers, diffIDs):
            return "image \(image): manifest lists \(layers) layers but config has \(diffIDs) diff_ids"
        case let .invalidDigest(text):
            return "invalid digest \(text) (expected sha256:<64 hex>)"
        case let .invalidReference(text, reason):
            return "invalid image reference \(text): \(reason)"
        case let .imageNotFound(reference):
            return "no such image: \(reference)"
        case let .ambiguousReference(reference, matches):
            return "image id prefix \(reference) is ambiguous: \(matches.joined(separator: ", "))"
        case let .nameOverrideNeedsSingleImage(path, count):
            return "\(path) holds \(count) images; a name override needs exactly one"
        case let .sourceFailed(step, detail):
            return "\(step): \(detail)"
        }
    }
}
