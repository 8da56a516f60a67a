#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `NETLINK_ROUTE` socket: Wharf's way of configuring links, addresses and routes without
/// running `ip`.
///
/// A socket is bound for life to the network namespace it was created in, so Wharf keeps one
/// per namespace (the host's, and one per task) and reuses it for every request. Requests are
/// synchronous (send, then read until the matching reply) and carry increasing sequence
/// numbers so stale replies from an earlier, failed exchange are skipped.
///
/// Not thread-safe: use a socket from one thread at a time (it is deliberately not `Sendable`).
/// The operations live in extensions: links, addresses and routes.
public final class RouteNetlink {
    /// The socket descriptor (owned; closed on deinit).
    public let fileDescriptor: Int32
    private var sequence: UInt32 = 0
    private var builder = NetlinkMessageBuilder(capacity: 256)
    /// Replies land here. 32 KiB holds any dump datagram the kernel sends for our requests
    /// (it fills dump skbs up to ~16-32 KiB); a larger one is reported as EMSGSIZE, not cut.
    private let receiveBuffer: UnsafeMutableRawBufferPointer

    /// Opens a socket in the calling thread's network namespace.
    public convenience init() throws(SystemError) {
        self.init(socket: try RouteNetlink.openSocket(step: "open rtnetlink socket"))
    }

    /// Opens a socket inside the network namespace `namespaceFD` (see `NetworkNamespace.create`).
    /// The calling thread enters that namespace only for the `socket()` call.
    public convenience init(namespaceFD: Int32) throws(SystemError) {
        let fd = try withNetworkNamespace(fd: namespaceFD) { () throws(SystemError) -> Int32 in
            try RouteNetlink.openSocket(step: "open rtnetlink socket in namespace fd \(namespaceFD)")
        }
        self.init(socket: fd)
    }

    /// Opens a socket of another netlink protocol in the calling thread's network namespace
    /// (`NETLINK_NETFILTER` for `NetfilterTables`): the same exchanges, other messages.
    convenience init(protocol netlinkProtocol: Int32, step: @autoclosure () -> String) throws(SystemError) {
        self.init(socket: try RouteNetlink.openSocket(step: step(), protocol: netlinkProtocol))
    }

    private init(socket: Int32) {
        fileDescriptor = socket
        receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32 * 1024, alignment: 8)
    }

    deinit {
        close(fileDescriptor)
        receiveBuffer.deallocate()
    }

    private static func openSocket(step: @autoclosure () -> String, protocol netlinkProtocol: Int32 = Netlink.protocolRoute) throws(SystemError) -> Int32 {
        let type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = try retryingOnInterrupt(step: step(), call: "socket(AF_NETLINK)") {
            socket(AF_NETLINK, type, netlinkProtocol)
        }
        // Error acks then carry only the error code and header, not a copy of our request.
        // Best effort: older kernels without it still work, the acks are just longer.
        var on: Int32 = 1
        _ = setsockopt(fd, Netlink.solNetlink, Netlink.capAck, &on, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    // MARK: - Exchanges used by the operations

    /// How the kernel's reply to a request ends.
    private enum ReplyEnd: Equatable {
        /// An `NLMSG_ERROR` ack (code 0 = success); requested with `NLM_F_ACK`.
        case acknowledgement
        /// This many acks (a batch whose messages each asked for one).
        case acknowledgements(Int)
        /// The first reply message (a `GET` of one object).
        case firstMessage
        /// `NLMSG_DONE` (a dump).
        case done
    }

    /// Sends a request with `NLM_F_ACK` and waits for the kernel's acknowledgement.
    /// A negative ack becomes a `SystemError` with that errno and `call`. Messages that come
    /// before the ack (with `NLM_F_ECHO` in `flags`, the kernel's notification of the change)
    /// go to `handle`.
    func perform(
        _ call: String, step: () -> String, type: UInt16, flags: UInt16,
        build: (inout NetlinkMessageBuilder) -> Void,
        handle: (NetlinkMessage) throws(SystemError) -> Void = { _ throws(SystemError) in }
    ) throws(SystemError) {
        let sequence = try send(call, step: step, type: type, flags: Netlink.request | Netlink.ack | flags, build: build)
        _ = try receive(sequence: sequence, call: call, step: step, until: .acknowledgement, handle: handle)
    }

    /// Sends a batch in one datagram and waits until the kernel has acknowledged `acks` of its
    /// messages. `build` writes the messages with `startNext`, all with `sequence` (the one
    /// it is given), those to be acknowledged with `NLM_F_ACK`. The first negative ack becomes
    /// a `SystemError` with that errno and `call`; the kernel has then applied none of the batch.
    func performBatch(
        _ call: String, step: () -> String, acks: Int,
        build: (inout NetlinkMessageBuilder, _ sequence: UInt32) -> Void
    ) throws(SystemError) {
        sequence &+= 1
        let batchSequence = sequence
        builder.reset()
        build(&builder, batchSequence)
        builder.finish()
        let fd = fileDescriptor
        _ = try retryingOnInterrupt(step: step(), call: call) {
            builder.bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        }
        _ = try receive(sequence: batchSequence, call: call, step: step, until: .acknowledgements(acks)) { _ throws(SystemError) in }
    }

    /// Sends a `GET` for one object and hands its reply to `handle`.
    func query(
        _ call: String, step: () -> String, type: UInt16,
        build: (inout NetlinkMessageBuilder) -> Void,
        handle: (NetlinkMessage) throws(SystemError) -> Void
    ) throws(SystemError) {
        let sequence = try send(call, step: step, type: type, flags: Netlink.request, build: build)
        _ = try receive(sequence: sequence, call: call, step: step, until: .firstMessage, handle: handle)
    }

    /// Sends a dump request and collects what `parse` makes of each reply message. Restarts
    /// the dump (a few times) if the kernel reports it was interrupted by a concurrent change,
    /// because an interrupted dump may have skipped or repeated objects.
    func dump<Element>(
        _ call: String, step: () -> String, type: UInt16,
        build: (inout NetlinkMessageBuilder) -> Void,
        parse: (NetlinkMessage) -> Element?
    ) throws(SystemError) -> [Element] {
        var attempts = 0
        while true {
            var results: [Element] = []
            let sequence = try send(call, step: step, type: type, flags: Netlink.request | Netlink.dump, build: build)
            let interrupted = try receive(sequence: sequence, call: call, step: step, until: .done) {
                message throws(SystemError) in
                if let element = parse(message) { results.append(element) }
            }
            attempts += 1
            if !interrupted { return results }
            if attempts == 3 { throw SystemError(step: step(), call: call, errno: EINTR) }
        }
    }

    private func send(
        _ call: String, step: () -> String, type: UInt16, flags: UInt16,
        build: (inout NetlinkMessageBuilder) -> Void
    ) throws(SystemError) -> UInt32 {
        sequence &+= 1
        builder.start(type: type, flags: flags, sequence: sequence)
        build(&builder)
        builder.finish()
        let fd = fileDescriptor
        _ = try retryingOnInterrupt(step: step(), call: call) {
            builder.bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        }
        return sequence
    }

    /// Reads replies for `sequence` until `end`; returns whether any reply carried
    /// `NLM_F_DUMP_INTR`. Messages with other sequence numbers are leftovers of an earlier
    /// exchange that failed midway, and are skipped.
    private func receive(
        sequence: UInt32, call: String, step: () -> String, until end: ReplyEnd,
        handle: (NetlinkMessage) throws(SystemError) -> Void
    ) throws(SystemError) -> Bool {
        var interrupted = false
        var acksAwaited = if case .acknowledgements(let count) = end { count } else { 1 }
        let fd = fileDescriptor
        let buffer = receiveBuffer
        while true {
            // MSG_TRUNC makes recv report the datagram's real size, so truncation is detectable.
            let received = try retryingOnInterrupt(step: step(), call: "recv(\(call))") {
                recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_TRUNC))
            }
            guard received <= buffer.count else {
                throw SystemError(step: step(), call: "recv(\(call))", errno: EMSGSIZE)
            }
            for message in NetlinkMessages(UnsafeRawBufferPointer(rebasing: buffer[0..<received])) {
                guard message.sequence == sequence else { continue }
                if message.flags & Netlink.dumpInterrupted != 0 { interrupted = true }
                switch message.type {
                case Netlink.error:
                    // struct nlmsgerr starts with a negative errno, or 0 for a plain ack.
                    let code: Int32 = message.integer(at: 0, as: Int32.self) ?? -EPROTO
                    if code != 0 { throw SystemError(step: step(), call: call, errno: -code) }
                    acksAwaited -= 1
                    if acksAwaited > 0 { continue }
                    return interrupted
                case Netlink.done:
                    // A dump that failed part-way reports the errno in NLMSG_DONE's payload.
                    if let code = message.integer(at: 0, as: Int32.self), code < 0 {
                        throw SystemError(step: step(), call: call, errno: -code)
                    }
                    return interrupted
                case Netlink.noop:
                    continue
                default:
                    try handle(message)
                    if end == .firstMessage { return interrupted }
                }
            }
        }
    }
}
