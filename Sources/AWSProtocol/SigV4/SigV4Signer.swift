import Foundation

/// Signs requests with Signature Version 4 the way botocore does for non-S3 services, for
/// clients of a Wharf endpoint written in Swift (and for tests).
///
/// Every header present is signed except the hop-by-hop and agent headers botocore leaves
/// out; `Host` must already be on the request, since the signature covers it.
public struct SigV4Signer: Sendable {
    /// Headers botocore never signs (they may change between hops).
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    public let credential: AWSCredential
    public let region: String
    public let service: String

    public init(credential: AWSCredential, region: String, service: String) {
        self.credential = credential
        self.region = region
        self.service = service
    }

    /// Sets `X-Amz-Date` (and `X-Amz-Security-Token` when the credential has a token),
    /// replacing earlier values, then adds the `Authorization` header for time `date`.
    public func sign(_ request: inout AWSRequest, date: Date) throws(CryptoError) {
        let timestamp = SigV4Timestamp(secondsSinceEpoch: Int64(date.timeIntervalSince1970.rounded(.down)))
        request.headers.removeAll { name, _ in
            ASCII.equalsIgnoringCase(name, "Authorization") || ASCII.equalsIgnoringCase(name, "X-Amz-Date")
                || ASCII.equalsIgnoringCase(name, "X-Amz-Security-Token")
        }
        request.headers.append((name: "X-Amz-Date", value: timestamp.basicFormat))
        if let token = credential.sessionToken {
            request.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        let signedHeaders = Set(request.headers.map { ASCII.lowercased($0.name) })
            .subtracting(Self.unsignedHeaders)
            .sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        let scope = "\(timestamp.dateStamp)/\(region)/\(service)/\(SigV4CredentialScope.terminator)"
        let key = try SigningKeyCache.derive(
            secret: credential.secretAccessKey, date: timestamp.dateStamp, region: region, service: service)
        let signature = try SigV4Signature(
            request: request, signedHeaders: signedHeaders, timestamp: timestamp.basicFormat, scope: scope, signingKey: key)
        request.headers.append((
            name: "Authorization",
            value: "\(SigV4Verifier.algorithm) Credential=\(credential.accessKeyID)/\(scope), "
                + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature.signature)"
        ))
    }
}
