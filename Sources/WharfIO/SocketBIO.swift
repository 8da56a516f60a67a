import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An OpenSSL BIO over a non-blocking socket that writes with `send(MSG_NOSIGNAL)`.
///
/// OpenSSL's own socket BIO writes with `write(2)`, which raises SIGPIPE when the peer has
/// gone; this one never does, so WharfIO needs no process-wide `SIG_IGN`. Otherwise it behaves
/// as the socket BIO: retry flags on `EAGAIN`, the EOF flag on a zero read (which
/// `SSL_OP_IGNORE_UNEXPECTED_EOF` turns into a clean close), flush as a no-op.
///
/// The descriptor is kept in the BIO's data pointer as `fd + 1` (so descriptor 0 is not a
/// null pointer): no allocation per connection besides the BIO. The BIO does not own the
/// descriptor.
enum SocketBIO {
    /// The method, created once per process (Swift initialises globals once, thread-safely).
    /// `nonisolated(unsafe)`: set once, then only read; OpenSSL reads methods concurrently.
    nonisolated(unsafe) private static let method: OpaquePointer? = makeMethod()

    private static func makeMethod() -> OpaquePointer? {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "wharf socket") else { return nil }
        guard BIO_meth_set_write(method, socketBIOWrite) == 1,
            BIO_meth_set_read(method, socketBIORead) == 1,
            BIO_meth_set_ctrl(method, socketBIOControl) == 1
        else {
            BIO_meth_free(method)
            return nil
        }
        return method
    }

    /// A new BIO over `fd`, or nil (OpenSSL out of memory).
    static func make(fd: Int32) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, UnsafeMutableRawPointer(bitPattern: Int(fd) + 1))
        BIO_set_init(bio, 1)
        return bio
    }

    @inline(__always)
    fileprivate static func descriptor(of bio: OpaquePointer) -> Int32 {
        Int32(truncatingIfNeeded: Int(bitPattern: BIO_get_data(bio)) - 1)
    }
}

private func socketBIOWrite(_ bio: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let bio else { return -1 }
    wharf_BIO_clear_retry_flags(bio)
    let fd = SocketBIO.descriptor(of: bio)
    while true {
        let count = send(fd, data, Int(length), Int32(MSG_NOSIGNAL))
        if count >= 0 { return Int32(count) }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { wharf_BIO_set_retry_write(bio) }
        return -1
    }
}

private func socketBIORead(_ bio: OpaquePointer?, _ data: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let bio else { return -1 }
    wharf_BIO_clear_retry_flags(bio)
    let fd = SocketBIO.descriptor(of: bio)
    while true {
        let count = recv(fd, data, Int(length), 0)
        if count > 0 { return Int32(count) }
        if count == 0 {
            BIO_set_flags(bio, BIO_FLAGS_IN_EOF)
            return 0
        }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { wharf_BIO_set_retry_read(bio) }
        return -1
    }
}

private func socketBIOControl(_ bio: OpaquePointer?, _ command: Int32, _ number: Int, _ pointer: UnsafeMutableRawPointer?) -> Int {
    switch command {
    case BIO_CTRL_FLUSH, BIO_CTRL_DUP:
        return 1
    case BIO_CTRL_EOF:
        guard let bio else { return 0 }
        return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0 ? 1 : 0
    default:
        return 0
    }
}
