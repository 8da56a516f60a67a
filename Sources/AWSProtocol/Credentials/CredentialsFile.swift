/// The AWS shared credentials file format (INI), as the AWS CLI and SDKs read it:
///
/// ```
/// [wharf]
/// aws_access_key_id = AKIA...
/// aws_secret_access_key = ...
/// ```
///
/// Lines starting with `#` or `;` are comments; keys are compared without case; spaces
/// around `=` and the value are ignored. Profiles with no key pair (e.g. only `region`) are
/// ignored; a profile with half a key pair is an error rather than silently skipped.
public enum CredentialsFile {
    /// The settings read for a key pair.
    public static let accessKeyIDSetting = "aws_access_key_id"
    public static let secretAccessKeySetting = "aws_secret_access_key"
    public static let sessionTokenSetting = "aws_session_token"

    /// The key pairs in `text`, in file order. `path` is only used in errors.
    public static func parse(_ text: String, path: String) throws(CredentialStoreError) -> [AWSCredential] {
        var profiles: [(name: String, settings: [String: String])] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = ASCII.trimmed(String(rawLine))
            let lineNumber = offset + 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw .malformedLine(path: path, line: lineNumber, text: line)
                }
                var name = ASCII.trimmed(String(line.dropFirst().dropLast()))
                // The CLI's config file says `[profile x]`; accept that spelling here too.
                if name.hasPrefix("profile ") { name = ASCII.trimmed(String(name.dropFirst("profile ".count))) }
                profiles.append((name, [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw .malformedLine(path: path, line: lineNumber, text: line)
            }
            guard !profiles.isEmpty else { throw .settingOutsideProfile(path: path, line: lineNumber) }
            let key = ASCII.lowercased(ASCII.trimmed(String(line[..<equals])))
            let value = ASCII.trimmed(String(line[line.index(after: equals)...]))
            guard !key.isEmpty else { throw .malformedLine(path: path, line: lineNumber, text: line) }
            profiles[profiles.count - 1].settings[key] = value
        }

        var credentials: [AWSCredential] = []
        for (name, settings) in profiles {
            let keyID = settings[accessKeyIDSetting].flatMap { $0.isEmpty ? nil : $0 }
            let secret = settings[secretAccessKeySetting].flatMap { $0.isEmpty ? nil : $0 }
            switch (keyID, secret) {
            case (nil, nil):
                continue
            case (.some, nil):
                throw .incompleteProfile(path: path, profile: name, missing: secretAccessKeySetting)
            case (nil, .some):
                throw .incompleteProfile(path: path, profile: name, missing: accessKeyIDSetting)
            case (.some(let keyID), .some(let secret)):
                let token = settings[sessionTokenSetting].flatMap { $0.isEmpty ? nil : $0 }
                credentials.append(AWSCredential(profile: name, accessKeyID: keyID, secretAccessKey: secret, sessionToken: token))
            }
        }
        return credentials
    }

    /// The file text for `credentials`, one profile each.
    public static func render(_ credentials: [AWSCredential]) -> String {
        var text = ""
        for credential in credentials {
            if !text.isEmpty { text += "\n" }
            text += "[\(credential.profile)]\n"
            text += "\(accessKeyIDSetting) = \(credential.accessKeyID)\n"
            text += "\(secretAccessKeySetting) = \(credential.secretAccessKey)\n"
            if let token = credential.sessionToken { text += "\(sessionTokenSetting) = \(token)\n" }
        }
        return text
    }
}
