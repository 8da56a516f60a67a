/// The five parts of a SigV4 `Credential`: `keyid/date/region/service/aws4_request`.
struct SigV4CredentialScope: Sendable, Equatable {
    /// The terminator every SigV4 scope ends with.
    static let terminator = "aws4_request"

    let accessKeyID: String
    let date: String
    let region: String
    let service: String
    let terminator: String

    /// Splits `credential`; trailing slashes are ignored, as AWS ignores them.
    init(parsing credential: String) throws(SigV4VerificationError) {
        var text = Substring(credential)
        while text.hasSuffix("/") { text = text.dropLast() }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5 else { throw .malformedCredential(credential) }
        accessKeyID = parts[0]
        date = parts[1]
        region = parts[2]
        service = parts[3]
        terminator = parts[4]
    }

    /// `date/region/service/terminator`, the scope line of the string to sign.
    var scope: String { "\(date)/\(region)/\(service)/\(terminator)" }
}
