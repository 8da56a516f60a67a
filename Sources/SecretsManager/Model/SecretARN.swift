/// Secret ARNs: `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`, where the six
/// characters after the name are random, as AWS makes them (so a secret deleted and created
/// again under the same name has a new ARN).
enum SecretARN {
    /// What comes before REGION.
    static let prefix = "arn:aws:secretsmanager:"
    /// How many random characters follow the name.
    static let suffixLength = 6
    private static let suffixAlphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// A new ARN for secret `name`.
    static func make(name: String, region: String, accountID: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = String((0..<suffixLength).map { _ in suffixAlphabet.randomElement(using: &generator) ?? "a" })
        return "\(prefix)\(region):\(accountID):secret:\(name)-\(suffix)"
    }

    /// The part after `:secret:` of a Secrets Manager ARN (a name, with or without the random
    /// suffix), or nil when `text` is not such an ARN.
    static func resource(of text: String) -> String? {
        guard text.hasPrefix(prefix) else { return nil }
        let fields = text.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count == 7, fields[5] == "secret", !fields[6].isEmpty else { return nil }
        return String(fields[6])
    }
}
