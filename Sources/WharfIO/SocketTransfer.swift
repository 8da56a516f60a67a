#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension Socket {
    /// Reads what is available into `buffer` (which must not be empty).
    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .endOfFile }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(code)
            }
        }
    }

    /// Writes as much of `buffer` as the socket takes (`send` with `MSG_NOSIGNAL`).
    @inline(__always)
    public static func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let count = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .bytes(count) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(code)
            }
        }
    }

    /// Writes `first` then `second` in one system call (`sendmsg` with `MSG_NOSIGNAL`), e.g.
    /// a response head and the start of its body. The count covers both, in order.
    @inline(__always)
    public static func writev(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> IOResult {
        var vectors = (
            iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
            iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
        )
        return withUnsafeMutableBytes(of: &vectors) { raw in
            let base = raw.baseAddress.map { $0.assumingMemoryBound(to: iovec.self) }
            return writev(fd, UnsafeMutableBufferPointer(start: base, count: 2))
        }
    }

    /// Writes the buffers described by `vectors`, in order, in one system call (`sendmsg` with
    /// `MSG_NOSIGNAL`). At most `IOV_MAX` (1024) vectors.
    @inline(__always)
    public static func writev(_ fd: Int32, _ vectors: UnsafeMutableBufferPointer<iovec>) -> IOResult {
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = vectors.count
        while true {
            let count = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .bytes(count) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(code)
            }
        }
    }
}
