/// Why a request's Signature Version 4 authentication was refused, one case per check, in
/// the order AWS services make them. ``serviceError`` gives the exception and the message
/// AWS answers with.
public enum SigV4VerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `Authorization` header, or one that is not `AWS4-...`.
    case missingAuthenticationToken
    /// A part of the `Authorization` header without `=`, e.g. a space after `Credential=`.
    case malformedAuthorization(part: String, header: String)
    /// `Credential`, `Signature` or `SignedHeaders` absent, or neither `X-Amz-Date` nor
    /// `Date` present; `missing` lists the sentences AWS writes for each.
    case incompleteAuthorization(missing: [String], header: String)
    /// The request date is not ISO 8601 basic format (`20261122T101500Z`).
    case malformedDate(String)
    /// The request date is further in the past than the allowed skew.
    case signatureExpired(requestTime: String, earliest: String, now: String, skewMinutes: Int)
    /// The request date is further in the future than the allowed skew.
    case signatureNotYetCurrent(requestTime: String, latest: String, now: String, skewMinutes: Int)
    /// `host` is not among the signed headers.
    case hostNotSigned
    /// An algorithm other than `AWS4-HMAC-SHA256`.
    case unsupportedAlgorithm(String)
    /// A `Credential` that is not `keyid/date/region/service/aws4_request`.
    case malformedCredential(String)
    /// The credential scope names another region, service, terminator or date; `problems`
    /// holds AWS's sentence for each mismatch, in AWS's order and spacing.
    case credentialScopeMismatch(problems: [String])
    /// No credential has this access key id.
    case unknownAccessKey(String)
    /// The signature does not match; the canonical request and string to sign the server
    /// computed are kept for the message, as AWS includes them.
    case signatureMismatch(canonicalRequest: String, stringToSign: String)
    /// A session token that does not belong to the access key (or one missing for a key that
    /// has one).
    case invalidSecurityToken
    /// OpenSSL failed while hashing or signing (a server fault).
    case crypto(CryptoError)

    /// The AWS error a client receives for this refusal.
    public var serviceError: AWSServiceError {
        switch self {
        case .missingAuthenticationToken:
            return .missingAuthenticationToken
        case .malformedAuthorization(let part, let header):
            return incomplete("'\(part)' not a valid key=value pair (missing equal-sign) in Authorization header: '\(header)'.")
        case .incompleteAuthorization(let missing, let header):
            return incomplete(missing.map { $0 + " " }.joined() + "Authorization=" + header)
        case .malformedDate(let value):
            return incomplete("Date must be in ISO-8601 'basic format'. Got '\(value)'. See http://en.wikipedia.org/wiki/ISO_8601")
        case .signatureExpired(let requestTime, let earliest, let now, let minutes):
            return invalid("Signature expired: \(requestTime) is now earlier than \(earliest) (\(now) - \(minutes) min.)")
        case .signatureNotYetCurrent(let requestTime, let latest, let now, let minutes):
            return invalid("Signature not yet current: \(requestTime) is still later than \(latest) (\(now) + \(minutes) min.)")
        case .hostNotSigned:
            return invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.")
        case .unsupportedAlgorithm(let algorithm):
            return incomplete("Unsupported AWS 'algorithm': '\(algorithm)' (only AWS4-HMAC-SHA256 for now). ")
        case .malformedCredential(let credential):
            return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'")
        case .credentialScopeMismatch(let problems):
            // Each sentence but the date's ends in ". ", so AWS simply concatenates them
            // (and a lone service mismatch keeps its trailing space).
            return invalid(problems.joined())
        case .unknownAccessKey, .invalidSecurityToken:
            return .unrecognizedClient
        case .signatureMismatch(let canonicalRequest, let stringToSign):
            return invalid(Self.signatureMismatchMessage + "\n\nThe Canonical String for this request should have been\n'"
                + canonicalRequest + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n")
        case .crypto(let error):
            return .serverFault(type: "InternalFailure", "The request processing has failed because of an unknown error (\(error)).")
        }
    }

    /// The first sentence of every signature mismatch, as AWS words it.
    public static let signatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    public var description: String { serviceError.description }

    private func incomplete(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "IncompleteSignatureException", message: message)
    }

    private func invalid(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "InvalidSignatureException", message: message)
    }
}
