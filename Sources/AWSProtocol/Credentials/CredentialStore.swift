import Glibc
import Synchronization

/// The access keys `wharf serve` accepts, loaded from a shared credentials file
/// (`DATA_DIR/credentials`); every profile with a key pair is one accepted key.
///
/// Lookups are thread-safe (a `Mutex` guards the index) and cheap; ``reload()`` swaps in a
/// re-read file so keys can be added or revoked without a restart.
public final class CredentialStore: Sendable {
    /// The profile generated credentials are written under.
    public static let defaultProfile = "wharf"

    /// What ``loadOrCreate(path:profile:)`` did.
    public enum LoadOutcome: Sendable, Equatable {
        /// The file existed and was read.
        case loaded
        /// There was no file; this key pair was generated and written to it.
        case created(AWSCredential)
    }

    private struct Index: Sendable {
        var byAccessKeyID: [String: AWSCredential]
        var ordered: [AWSCredential]
    }

    /// The file the store was loaded from (`nil` for a store built in memory).
    public let path: String?
    private let index: Mutex<Index>

    /// A store holding `credentials` (no file behind it). Access key ids must be unique.
    public convenience init(credentials: [AWSCredential]) throws(CredentialStoreError) {
        try self.init(path: nil, credentials: credentials)
    }

    private init(path: String?, credentials: [AWSCredential]) throws(CredentialStoreError) {
        self.path = path
        self.index = Mutex(try Self.makeIndex(credentials, path: path ?? ""))
    }

    /// Loads `path`, which must hold at least one key pair.
    public static func load(path: String) throws(CredentialStoreError) -> CredentialStore {
        try CredentialStore(path: path, credentials: try readCredentials(path: path))
    }

    /// Loads `path`, or, when it does not exist, generates a key pair for `profile`, writes it
    /// there (mode 0600, atomically, never replacing a file another process created first)
    /// and loads that. The outcome carries the new key pair so the daemon can print it.
    public static func loadOrCreate(path: String, profile: String = defaultProfile)
        throws(CredentialStoreError) -> (store: CredentialStore, outcome: LoadOutcome)
    {
        do {
            return (try load(path: path), .loaded)
        } catch {
            guard case .system(_, _, _, let code) = error, code == ENOENT else { throw error }
        }
        let credential: AWSCredential
        let suffix: String
        do {
            credential = try CredentialGenerator.generate(profile: profile)
            suffix = Crypto.hex(try Crypto.randomBytes(8))
        } catch {
            throw .random(error)
        }
        let created = try CredentialFileIO.createExclusively(
            path: path, text: CredentialsFile.render([credential]), randomSuffix: suffix)
        guard created else { return (try load(path: path), .loaded) }
        return (try CredentialStore(path: path, credentials: [credential]), .created(credential))
    }

    /// The credential with access key id `accessKeyID`, if any.
    public func credential(accessKeyID: String) -> AWSCredential? {
        index.withLock { $0.byAccessKeyID[accessKeyID] }
    }

    /// Every credential, in file order.
    public var credentials: [AWSCredential] {
        index.withLock { $0.ordered }
    }

    /// Re-reads the file. On any error the store keeps the keys it had.
    public func reload() throws(CredentialStoreError) {
        guard let path else { return }
        let fresh = try Self.makeIndex(try Self.readCredentials(path: path), path: path)
        index.withLock { $0 = fresh }
    }

    /// The shell lines that point the AWS CLI at this file and profile, e.g.
    /// `export AWS_SHARED_CREDENTIALS_FILE=/var/lib/wharf/credentials` and
    /// `export AWS_PROFILE=wharf`.
    public static func environmentLines(path: String, profile: String = defaultProfile) -> [String] {
        ["export AWS_SHARED_CREDENTIALS_FILE=\(shellQuoted(path))", "export AWS_PROFILE=\(shellQuoted(profile))"]
    }

    private static func readCredentials(path: String) throws(CredentialStoreError) -> [AWSCredential] {
        let credentials = try CredentialsFile.parse(try CredentialFileIO.read(path: path), path: path)
        guard !credentials.isEmpty else { throw .noCredentials(path: path) }
        return credentials
    }

    private static func makeIndex(_ credentials: [AWSCredential], path: String) throws(CredentialStoreError) -> Index {
        var byAccessKeyID: [String: AWSCredential] = [:]
        for credential in credentials {
            if let existing = byAccessKeyID[credential.accessKeyID] {
                throw .duplicateAccessKey(path: path, accessKeyID: credential.accessKeyID,
                                          profiles: [existing.profile, credential.profile])
            }
            byAccessKeyID[credential.accessKeyID] = credential
        }
        return Index(byAccessKeyID: byAccessKeyID, ordered: credentials)
    }

    /// `text` as one shell word: unchanged when it has only safe characters, else single-quoted.
    private static func shellQuoted(_ text: String) -> String {
        let safe = text.utf8.allSatisfy { byte in
            SigV4Encoding.isUnreserved(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=")
        }
        if safe && !text.isEmpty { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
