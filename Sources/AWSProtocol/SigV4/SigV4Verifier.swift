import Foundation

/// Verifies Signature Version 4 `Authorization` headers the way AWS services do, with the
/// same checks in the same order and the same refusals:
///
/// 1. an `Authorization` header starting `AWS4-` (else `MissingAuthenticationTokenException`);
/// 2. well-formed `key=value` parts; `Credential`, `SignedHeaders`, `Signature` and a date
///    header present (`IncompleteSignatureException`);
/// 3. `X-Amz-Date` (or `Date`) in ISO 8601 basic format, within the allowed clock skew
///    (`InvalidSignatureException` "Signature expired" / "not yet current");
/// 4. `host` signed; algorithm `AWS4-HMAC-SHA256`; a five-part credential;
/// 5. the credential scope's region, service, terminator and date;
/// 6. a known access key id (`UnrecognizedClientException`);
/// 7. the signature, compared in constant time (`InvalidSignatureException`);
/// 8. the session token, when the key has one or the request carries one.
///
/// Only header authentication is accepted: pre-signed URLs (`X-Amz-Signature` in the query)
/// are refused as unauthenticated, since no AWS JSON client sends them.
public struct SigV4Verifier: Sendable {
    /// How far a request's date may be from the server clock, as AWS allows: 5 minutes.
    public static let defaultMaximumClockSkewSeconds = 300
    /// The only algorithm SigV4 (version 4, HMAC) defines.
    public static let algorithm = "AWS4-HMAC-SHA256"

    private let store: CredentialStore
    private let maximumClockSkewSeconds: Int
    private let acceptedRegions: Set<String>?
    private let clock: @Sendable () -> Date
    private let keyCache: SigningKeyCache

    /// - Parameters:
    ///   - credentials: the accepted keys.
    ///   - maximumClockSkewSeconds: the allowed distance between request date and `clock`.
    ///   - acceptedRegions: regions a credential scope may name; `nil` accepts any
    ///     well-formed region name (lowercase letters, digits, `-`), since Wharf serves one
    ///     endpoint for whatever region the client is configured with.
    ///   - clock: the current time (injected so tests can pin it).
    public init(
        credentials: CredentialStore,
        maximumClockSkewSeconds: Int = SigV4Verifier.defaultMaximumClockSkewSeconds,
        acceptedRegions: Set<String>? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = credentials
        self.maximumClockSkewSeconds = maximumClockSkewSeconds
        self.acceptedRegions = acceptedRegions
        self.clock = clock
        self.keyCache = SigningKeyCache()
    }

    /// Verifies `request` as signed for `service` (the SigV4 signing name, e.g. `ecs`) and
    /// returns who signed it.
    public func verify(_ request: AWSRequest, service: String) throws(SigV4VerificationError) -> AuthenticatedIdentity {
        guard let header = request.headerValue("Authorization"), ASCII.trimmed(header).hasPrefix("AWS4-") else {
            throw .missingAuthenticationToken
        }
        let authorization = try SigV4Authorization(parsing: header)

        var missing: [String] = []
        for name in ["Credential", "Signature", "SignedHeaders"] where authorization.parameter(name) == nil {
            missing.append("Authorization header requires '\(name)' parameter.")
        }
        let dateHeader = request.headerValue("X-Amz-Date") ?? request.headerValue("Date")
        if dateHeader == nil {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard missing.isEmpty, let dateHeader,
              let credentialText = authorization.parameter("Credential"),
              let signature = authorization.parameter("Signature"),
              let signedHeaderList = authorization.parameter("SignedHeaders")
        else { throw .incompleteAuthorization(missing: missing, header: header) }

        let requestTime = try checkedRequestTime(dateHeader)
        let signedHeaders = signedHeaderList.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard signedHeaders.contains(where: { ASCII.equalsIgnoringCase($0, "host") }) else { throw .hostNotSigned }
        guard authorization.algorithm == Self.algorithm else { throw .unsupportedAlgorithm(authorization.algorithm) }
        let scope = try SigV4CredentialScope(parsing: credentialText)
        try checkScope(scope, service: service, requestTime: requestTime)

        guard let credential = store.credential(accessKeyID: scope.accessKeyID) else {
            throw .unknownAccessKey(scope.accessKeyID)
        }
        try checkSignature(
            signature, request: request, signedHeaders: signedHeaders, scope: scope,
            requestTime: requestTime, secret: credential.secretAccessKey)
        try checkSessionToken(request.headerValue("X-Amz-Security-Token"), expected: credential.sessionToken)

        return AuthenticatedIdentity(
            accessKeyID: credential.accessKeyID, profile: credential.profile, region: scope.region, service: scope.service)
    }

    /// How many derived signing keys are cached (one per secret, date, region and service).
    var cachedSigningKeys: Int { keyCache.count }

    /// The request date, parsed and within the allowed skew of the clock.
    private func checkedRequestTime(_ text: String) throws(SigV4VerificationError) -> SigV4Timestamp {
        guard let requestTime = SigV4Timestamp(basicFormat: text) else { throw .malformedDate(text) }
        let now = SigV4Timestamp(secondsSinceEpoch: Int64(clock().timeIntervalSince1970.rounded(.down)))
        let skew = Int64(maximumClockSkewSeconds)
        let minutes = maximumClockSkewSeconds / 60
        if requestTime < now.adding(seconds: -skew) {
            throw .signatureExpired(
                requestTime: requestTime.basicFormat, earliest: now.adding(seconds: -skew).basicFormat,
                now: now.basicFormat, skewMinutes: minutes)
        }
        if now.adding(seconds: skew) < requestTime {
            throw .signatureNotYetCurrent(
                requestTime: requestTime.basicFormat, latest: now.adding(seconds: skew).basicFormat,
                now: now.basicFormat, skewMinutes: minutes)
        }
        return requestTime
    }

    /// Every scope mismatch at once, in AWS's order and words.
    private func checkScope(_ scope: SigV4CredentialScope, service: String, requestTime: SigV4Timestamp)
        throws(SigV4VerificationError)
    {
        var problems: [String] = []
        if !isAcceptedRegion(scope.region) {
            problems.append("Credential should be scoped to a valid region, not '\(scope.region)'. ")
        }
        if scope.service != service {
            problems.append("Credential should be scoped to correct service: '\(service)'. ")
        }
        if scope.terminator != SigV4CredentialScope.terminator {
            problems.append("Credential should be scoped with a valid terminator: '\(SigV4CredentialScope.terminator)', not '\(scope.terminator)'. ")
        }
        if scope.date != requestTime.dateStamp {
            problems.append("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scope.date)' != '\(requestTime.dateStamp)', from '\(requestTime.basicFormat)'.")
        }
        guard problems.isEmpty else { throw .credentialScopeMismatch(problems: problems) }
    }

    private func isAcceptedRegion(_ region: String) -> Bool {
        if let acceptedRegions { return acceptedRegions.contains(region) }
        return !region.isEmpty && region.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-")
        }
    }

    /// Recomputes the signature and compares it with the one sent, in constant time.
    private func checkSignature(
        _ provided: String, request: AWSRequest, signedHeaders: [String], scope: SigV4CredentialScope,
        requestTime: SigV4Timestamp, secret: String
    ) throws(SigV4VerificationError) {
        let computed: SigV4Signature
        do {
            let key = try keyCache.key(secret: secret, date: scope.date, region: scope.region, service: scope.service)
            computed = try SigV4Signature(
                request: request, signedHeaders: signedHeaders, timestamp: requestTime.basicFormat,
                scope: scope.scope, signingKey: key)
        } catch {
            throw .crypto(error)
        }
        guard Crypto.constantTimeEqual(Array(computed.signature.utf8), Array(provided.utf8)) else {
            throw .signatureMismatch(canonicalRequest: computed.canonicalRequest, stringToSign: computed.stringToSign)
        }
    }

    /// A key with a session token needs that token; a key without one accepts none.
    private func checkSessionToken(_ provided: String?, expected: String?) throws(SigV4VerificationError) {
        switch (provided, expected) {
        case (nil, nil):
            return
        case (.some(let provided), .some(let expected)):
            guard Crypto.constantTimeEqual(Array(provided.utf8), Array(expected.utf8)) else { throw .invalidSecurityToken }
        default:
            throw .invalidSecurityToken
        }
    }
}
