/// The signature of one request: its canonical request, the string to sign and the
/// resulting lowercase hex HMAC. Shared by the verifier and the signer so both compute
/// exactly the same thing.
struct SigV4Signature: Sendable {
    let canonicalRequest: String
    let stringToSign: String
    let signature: String

    /// - Parameters:
    ///   - timestamp: the request time in basic format (`X-Amz-Date`).
    ///   - scope: `date/region/service/aws4_request`.
    ///   - signingKey: the key derived for that scope.
    init(request: AWSRequest, signedHeaders: [String], timestamp: String, scope: String, signingKey: [UInt8])
        throws(CryptoError)
    {
        canonicalRequest = CanonicalRequest(
            method: request.method, rawPath: request.path, rawQuery: request.query, headers: request.headers,
            signedHeaders: signedHeaders, payloadHash: try Crypto.sha256Hex(request.body)
        ).text
        stringToSign = [SigV4Verifier.algorithm, timestamp, scope, try Crypto.sha256Hex(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        signature = Crypto.hex(try Crypto.hmacSHA256(key: signingKey, message: stringToSign))
    }
}
