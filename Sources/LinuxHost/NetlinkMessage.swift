// Read-only views over received netlink bytes. They point into the socket's receive buffer,
// so they are only valid inside the callback that receives them and must not be stored.

/// One received netlink message: its header fields and payload (after `nlmsghdr`).
struct NetlinkMessage {
    var type: UInt16
    var flags: UInt16
    var sequence: UInt32
    /// The bytes after the 16-byte header, up to the message's stated length.
    var payload: UnsafeRawBufferPointer

    /// Reads a host-order integer from the payload, or `nil` if the payload is too short.
    func integer<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T? {
        guard offset >= 0, offset + MemoryLayout<T>.size <= payload.count else { return nil }
        return payload.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    /// The attributes that follow a fixed family header of `headerLength` bytes.
    func attributes(after headerLength: Int) -> NetlinkAttributes {
        let start = Netlink.align(headerLength)
        guard start <= payload.count else { return NetlinkAttributes(bytes: UnsafeRawBufferPointer(rebasing: payload[0..<0])) }
        return NetlinkAttributes(bytes: UnsafeRawBufferPointer(rebasing: payload[start...]))
    }
}

/// Splits one datagram from the kernel into messages; stops at a malformed length.
struct NetlinkMessages: Sequence, IteratorProtocol {
    private var remaining: UnsafeRawBufferPointer

    init(_ datagram: UnsafeRawBufferPointer) {
        remaining = datagram
    }

    mutating func next() -> NetlinkMessage? {
        guard remaining.count >= Netlink.headerLength else { return nil }
        let length = Int(remaining.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        guard length >= Netlink.headerLength, length <= remaining.count else { return nil }
        let message = NetlinkMessage(
            type: remaining.loadUnaligned(fromByteOffset: 4, as: UInt16.self),
            flags: remaining.loadUnaligned(fromByteOffset: 6, as: UInt16.self),
            sequence: remaining.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
            payload: UnsafeRawBufferPointer(rebasing: remaining[Netlink.headerLength..<length])
        )
        let advance = Swift.min(Netlink.align(length), remaining.count)
        remaining = UnsafeRawBufferPointer(rebasing: remaining[advance...])
        return message
    }
}

/// One `rtattr`: type (flags stripped) and payload.
struct NetlinkAttribute {
    var type: UInt16
    var payload: UnsafeRawBufferPointer

    /// The payload as a host-order `UInt32`, if it is at least 4 bytes.
    var uint32: UInt32? {
        payload.count >= 4 ? payload.loadUnaligned(fromByteOffset: 0, as: UInt32.self) : nil
    }

    /// The payload as an IPv4 address (network byte order on the wire), if it is 4 bytes.
    var ipv4: IPv4Address? {
        payload.count == 4 ? IPv4Address(UInt32(bigEndian: payload.loadUnaligned(fromByteOffset: 0, as: UInt32.self))) : nil
    }

    /// The payload as a string, up to the first NUL.
    var string: String {
        let end = payload.firstIndex(of: 0) ?? payload.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: payload[0..<end]), as: UTF8.self)
    }

    /// Whether the payload equals `text` (NUL-terminated or not), without allocating a String.
    func stringEquals(_ text: String) -> Bool {
        let end = payload.firstIndex(of: 0) ?? payload.count
        return payload[0..<end].elementsEqual(text.utf8)
    }

    /// The attributes nested in this one's payload.
    var nested: NetlinkAttributes { NetlinkAttributes(bytes: payload) }
}

/// Iterates over a run of `rtattr`s; stops at a malformed length.
struct NetlinkAttributes: Sequence, IteratorProtocol {
    var bytes: UnsafeRawBufferPointer

    mutating func next() -> NetlinkAttribute? {
        guard bytes.count >= Netlink.attributeHeaderLength else { return nil }
        let length = Int(bytes.loadUnaligned(fromByteOffset: 0, as: UInt16.self))
        guard length >= Netlink.attributeHeaderLength, length <= bytes.count else { return nil }
        let type = bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self) & Netlink.attributeTypeMask
        let attribute = NetlinkAttribute(
            type: type, payload: UnsafeRawBufferPointer(rebasing: bytes[Netlink.attributeHeaderLength..<length]))
        let advance = Swift.min(Netlink.align(length), bytes.count)
        bytes = UnsafeRawBufferPointer(rebasing: bytes[advance...])
        return attribute
    }
}
