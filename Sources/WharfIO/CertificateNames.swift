import COpenSSL

/// The names in an X.509 certificate (an `X509*`, borrowed).
enum CertificateNames {
    /// The DNS names of the subjectAltName extension, lowercased, in certificate order.
    static func dnsNames(of certificate: OpaquePointer) -> [String] {
        guard let names = wharf_X509_subject_alt_names(certificate) else { return [] }
        defer { GENERAL_NAMES_free(names) }
        var result: [String] = []
        for index in 0..<wharf_GENERAL_NAMES_count(names) {
            var length: Int32 = 0
            guard let bytes = wharf_GENERAL_NAMES_dns_name(names, index, &length), length > 0 else { continue }
            let name = String(decoding: UnsafeBufferPointer(start: bytes, count: Int(length)), as: UTF8.self)
            result.append(lowercasedASCII(name))
        }
        return result
    }

    /// The subject's common name (CN), as UTF-8.
    static func commonName(of certificate: OpaquePointer) -> String? {
        guard let subject = X509_get_subject_name(certificate) else { return nil }
        let index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(subject, index), let data = X509_NAME_ENTRY_get_data(entry) else {
            return nil
        }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, data)
        guard length >= 0, let utf8 else { return nil }
        defer { CRYPTO_free(utf8, nil, 0) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// The names a server certificate answers to for SNI: its subjectAltName DNS names, or,
    /// only when it has none (RFC 6125), its CN.
    static func serverNames(of certificate: OpaquePointer) -> [String] {
        let names = dnsNames(of: certificate)
        if !names.isEmpty { return names }
        return commonName(of: certificate).map { [lowercasedASCII($0)] } ?? []
    }

    /// Host names compare case-insensitively, in ASCII only.
    static func lowercasedASCII(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return name }
        return String(decoding: name.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
