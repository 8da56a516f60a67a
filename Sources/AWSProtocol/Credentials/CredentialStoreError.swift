import Glibc

/// Why credentials could not be loaded, parsed or created; each case names the file and the
/// step (and the system call, with its errno, where there is one).
public enum CredentialStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call on the credentials file failed.
    case system(step: String, call: String, path: String, errno: Int32)
    /// A line is neither a `[section]`, a `key = value`, a comment nor blank.
    case malformedLine(path: String, line: Int, text: String)
    /// A `key = value` line before any `[section]`.
    case settingOutsideProfile(path: String, line: Int)
    /// A profile has one of `aws_access_key_id` / `aws_secret_access_key` but not the other.
    case incompleteProfile(path: String, profile: String, missing: String)
    /// Two profiles use the same access key id.
    case duplicateAccessKey(path: String, accessKeyID: String, profiles: [String])
    /// The file holds no key pair at all.
    case noCredentials(path: String)
    /// The CSPRNG failed while generating a key pair.
    case random(CryptoError)

    public var description: String {
        switch self {
        case .system(let step, let call, let path, let errno):
            return "\(step) \(path): \(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case .malformedLine(let path, let line, let text):
            return "parse \(path): line \(line) is not '[profile]' or 'key = value': \(text)"
        case .settingOutsideProfile(let path, let line):
            return "parse \(path): line \(line) sets a value before any [profile] header"
        case .incompleteProfile(let path, let profile, let missing):
            return "parse \(path): profile [\(profile)] has no \(missing)"
        case .duplicateAccessKey(let path, let accessKeyID, let profiles):
            return "parse \(path): access key \(accessKeyID) appears in profiles \(profiles.map { "[\($0)]" }.joined(separator: ", "))"
        case .noCredentials(let path):
            return "load \(path): no profile has aws_access_key_id and aws_secret_access_key"
        case .random(let error):
            return "generate credentials: \(error)"
        }
    }
}
