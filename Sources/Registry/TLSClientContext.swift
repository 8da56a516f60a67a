import COpenSSL

/// An OpenSSL client context for one registry: TLS 1.2+, peer verification against the
/// system CA store plus the registry's extra CA files. Immutable after creation, so
/// connections on several threads share it (`SSL_new` only reads it).
final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer

    /// Builds the context; `caFiles` are PEM files trusted in addition to the system store.
    init(caFiles: [String], registry: String) throws(RegistryError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .tls(image: "", registry: registry, step: "create TLS context", function: "SSL_CTX_new", reason: TLSClientContext.drainErrors())
        }
        self.context = context
        guard wharf_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .tls(image: "", registry: registry, step: "create TLS context", function: "SSL_CTX_set_min_proto_version",
                       reason: TLSClientContext.drainErrors())
        }
        SSL_CTX_set_options(context, WHARF_SSL_OP_IGNORE_UNEXPECTED_EOF | WHARF_SSL_OP_NO_COMPRESSION)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_set_default_verify_paths(context) == 1 else {
            throw .tls(image: "", registry: registry, step: "load system CA store", function: "SSL_CTX_set_default_verify_paths",
                       reason: TLSClientContext.drainErrors())
        }
        for file in caFiles {
            guard SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
                throw .tls(image: "", registry: registry, step: "load CA file \(file)", function: "SSL_CTX_load_verify_locations",
                           reason: TLSClientContext.drainErrors())
            }
        }
    }

    deinit { SSL_CTX_free(context) }

    /// OpenSSL's queued error reasons, oldest first, and clears the queue.
    static func drainErrors() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            text.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "no OpenSSL error reported" : reasons.joined(separator: "; ")
    }
}
