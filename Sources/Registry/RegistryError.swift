import ImageStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Every failure of a pull. Each names the image, the registry and the step (`resolve
/// manifest`, `fetch blob sha256:...`, `authenticate`, ...), so the message alone says what
/// Wharf was doing, against which registry, and why it stopped.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// The text is not an image reference.
    case invalidReference(String, reason: String)
    /// A socket call failed (connect refused, reset, ...).
    case connection(image: String, registry: String, step: String, call: String, errno: Int32)
    /// Nothing arrived for `seconds` (a stalled registry), or the pull's overall deadline passed.
    case timedOut(image: String, registry: String, step: String, seconds: Double)
    /// TLS setup, handshake or certificate verification failed (OpenSSL's reason).
    case tls(image: String, registry: String, step: String, function: String, reason: String)
    /// The registry refused the credentials (or wanted some and none were configured).
    case unauthorized(image: String, registry: String, step: String, detail: String)
    /// 404: the repository, tag, manifest or blob does not exist.
    case notFound(image: String, registry: String, step: String, detail: String)
    /// Any other unexpected HTTP status, with the registry's own error text.
    case httpStatus(image: String, registry: String, step: String, status: Int, detail: String)
    /// The response broke HTTP or the distribution protocol (bad head, bad JSON, bad redirect).
    case protocolViolation(image: String, registry: String, step: String, detail: String)
    /// Content did not hash to the digest that named it.
    case digestMismatch(image: String, registry: String, step: String, expected: String, actual: String)
    /// The body ended before its declared length.
    case truncated(image: String, registry: String, step: String, expected: Int64, received: Int64)
    /// The image index has no manifest for this machine.
    case noMatchingPlatform(image: String, registry: String, os: String, architecture: String)
    /// A media type this client cannot use.
    case unsupportedMediaType(image: String, registry: String, step: String, mediaType: String)
    /// The image store refused what was downloaded (digest/diffID mismatch, bad tar, I/O).
    case store(image: String, registry: String, step: String, ImageStoreError)
    /// The credentials or registry settings file could not be read.
    case configuration(path: String, detail: String)

    /// The registry host the error concerns (empty for configuration errors).
    public var registry: String {
        switch self {
        case .invalidReference, .configuration: return ""
        case let .connection(_, registry, _, _, _), let .timedOut(_, registry, _, _), let .tls(_, registry, _, _, _),
             let .unauthorized(_, registry, _, _), let .notFound(_, registry, _, _), let .httpStatus(_, registry, _, _, _),
             let .protocolViolation(_, registry, _, _), let .digestMismatch(_, registry, _, _, _),
             let .truncated(_, registry, _, _, _), let .noMatchingPlatform(_, registry, _, _),
             let .unsupportedMediaType(_, registry, _, _), let .store(_, registry, _, _):
            return registry
        }
    }

    /// Whether trying again may succeed: network failures, stalls, 5xx/429 and short bodies.
    public var isTransient: Bool {
        switch self {
        case .connection, .timedOut, .truncated: return true
        case let .httpStatus(_, _, _, status, _): return status >= 500 || status == 429 || status == 408
        default: return false
        }
    }

    /// The reason ECS puts after `CannotPullContainerError: ` when a pull fails.
    public var cannotPullContainerReason: String { description }

    public var description: String {
        switch self {
        case let .invalidReference(text, reason):
            return "invalid image reference \(text): \(reason)"
        case let .connection(image, registry, step, call, code):
            let reason = strerror(code).map { String(cString: $0) } ?? "failed"
            return "pull \(image) from \(registry): \(step): \(call): \(reason) (errno \(code))"
        case let .timedOut(image, registry, step, seconds):
            return "pull \(image) from \(registry): \(step): no progress for \(Self.format(seconds)) s (registry stalled or deadline passed)"
        case let .tls(image, registry, step, function, reason):
            return "pull \(image) from \(registry): \(step): TLS \(function): \(reason)"
        case let .unauthorized(image, registry, step, detail):
            return "pull \(image) from \(registry): \(step): unauthorized: \(detail)"
        case let .notFound(image, registry, step, detail):
            return "pull \(image) from \(registry): \(step): not found: \(detail)"
        case let .httpStatus(image, registry, step, status, detail):
            return "pull \(image) from \(registry): \(step): HTTP \(status): \(detail)"
        case let .protocolViolation(image, registry, step, detail):
            return "pull \(image) from \(registry): \(step): \(detail)"
        case let .digestMismatch(image, registry, step, expected, actual):
            return "pull \(image) from \(registry): \(step): content has digest \(actual), expected \(expected)"
        case let .truncated(image, registry, step, expected, received):
            return "pull \(image) from \(registry): \(step): body ended after \(received) of \(expected) bytes"
        case let .noMatchingPlatform(image, registry, os, architecture):
            return "pull \(image) from \(registry): select platform: the image index has no manifest for \(os)/\(architecture)"
        case let .unsupportedMediaType(image, registry, step, mediaType):
            return "pull \(image) from \(registry): \(step): unsupported media type \(mediaType)"
        case let .store(image, registry, step, error):
            return "pull \(image) from \(registry): \(step): \(error)"
        case let .configuration(path, detail):
            return "registry configuration \(path): \(detail)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
