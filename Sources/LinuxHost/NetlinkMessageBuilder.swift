// Builds one netlink request in a reusable byte buffer. The socket keeps one builder and
// resets it per request, so after the first request building allocates nothing.

/// Appends a netlink message header, a fixed family header and attributes, in host byte order
/// except where the protocol says otherwise (IPv4 addresses are network order).
struct NetlinkMessageBuilder {
    /// The encoded message (or messages, for a batch); valid after `finish()`.
    private(set) var bytes: [UInt8] = []
    /// Where the message being built starts: 0, or later in a batch (see `startNext`).
    private var messageStart = 0

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Discards the previous message and writes a new `nlmsghdr` (length patched by `finish`).
    mutating func start(type: UInt16, flags: UInt16, sequence: UInt32) {
        reset()
        startNext(type: type, flags: flags, sequence: sequence)
    }

    /// Discards what was built, for a batch to start with `startNext`.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        messageStart = 0
    }

    /// Finishes the message being built and starts another after it in the same buffer: a
    /// batch that goes to the kernel in one `send` (nfnetlink's transactions).
    mutating func startNext(type: UInt16, flags: UInt16, sequence: UInt32) {
        if !bytes.isEmpty { finish() }
        messageStart = bytes.count
        append(UInt32(0))
        append(type)
        append(flags)
        append(sequence)
        append(UInt32(0))  // port id: 0 addresses the kernel
    }

    /// Patches the length of the message being built into its header.
    mutating func finish() {
        patchLength(at: messageStart, UInt32(bytes.count - messageStart))
    }

    /// Appends the raw host-order bytes of an integer.
    @inline(__always)
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    /// Pads with zero bytes to the next 4-byte boundary.
    mutating func pad() {
        while bytes.count & 3 != 0 { bytes.append(0) }
    }

    /// Appends `struct ifinfomsg`.
    mutating func linkHeader(index: Int32 = 0, flags: UInt32 = 0, change: UInt32 = 0) {
        append(UInt8(0))  // family: AF_UNSPEC
        append(UInt8(0))  // padding
        append(UInt16(0))  // device type: chosen by the kernel
        append(index)
        append(flags)
        append(change)
    }

    /// Appends `struct ifaddrmsg`.
    mutating func addressHeader(prefixLength: UInt8, scope: UInt8, index: UInt32) {
        append(Netlink.familyIPv4)
        append(prefixLength)
        append(UInt8(0))  // flags (IFA_F_*); none for a permanent address
        append(scope)
        append(index)
    }

    /// Appends `struct rtmsg` for an IPv4 route.
    mutating func routeHeader(destinationLength: UInt8, table: UInt8, protocol: UInt8, scope: UInt8, type: UInt8) {
        append(Netlink.familyIPv4)
        append(destinationLength)
        append(UInt8(0))  // source length
        append(UInt8(0))  // TOS
        append(table)
        append(`protocol`)
        append(scope)
        append(type)
        append(UInt32(0))  // flags (RTM_F_*)
    }

    /// Appends `struct nfgenmsg`: the protocol family, version 0 and a resource id (big-endian).
    mutating func netfilterHeader(family: UInt8, resourceID: UInt16 = 0) {
        append(family)
        append(UInt8(0))  // NFNETLINK_V0
        append(resourceID.bigEndian)
    }

    /// Appends an attribute whose payload is a 32-bit integer in network byte order, as
    /// nf_tables takes every integer.
    mutating func attribute(_ type: UInt16, bigEndian value: UInt32) {
        append(UInt16(Netlink.attributeHeaderLength + 4))
        append(type)
        append(value.bigEndian)
    }

    /// Appends an attribute whose payload is a 32-bit host-order integer.
    mutating func attribute(_ type: UInt16, _ value: UInt32) {
        append(UInt16(Netlink.attributeHeaderLength + 4))
        append(type)
        append(value)
    }

    /// Appends an attribute whose payload is one byte.
    mutating func attribute(_ type: UInt16, byte value: UInt8) {
        append(UInt16(Netlink.attributeHeaderLength + 1))
        append(type)
        bytes.append(value)
        pad()
    }

    /// Appends an attribute whose payload is an IPv4 address in network byte order.
    mutating func attribute(_ type: UInt16, _ address: IPv4Address) {
        append(UInt16(Netlink.attributeHeaderLength + 4))
        append(type)
        append(address.value.bigEndian)
    }

    /// Appends an attribute whose payload is `payload` as it is (a link-layer address).
    mutating func attribute(_ type: UInt16, bytes payload: [UInt8]) {
        append(UInt16(Netlink.attributeHeaderLength + payload.count))
        append(type)
        bytes.append(contentsOf: payload)
        pad()
    }

    /// Appends an attribute whose payload is a NUL-terminated string (interface names, kinds).
    mutating func attribute(_ type: UInt16, string: String) {
        let start = bytes.count
        append(UInt16(0))
        append(type)
        bytes.append(contentsOf: string.utf8)
        bytes.append(0)
        patchAttributeLength(at: start)
        pad()
    }

    /// Opens a nested attribute; pass the result to `endNested`.
    mutating func beginNested(_ type: UInt16) -> Int {
        let start = bytes.count
        append(UInt16(0))
        append(type | Netlink.nestedFlag)
        return start
    }

    /// Closes a nested attribute opened at `start`, fixing its length.
    mutating func endNested(_ start: Int) {
        pad()
        patchAttributeLength(at: start)
    }

    private mutating func patchAttributeLength(at offset: Int) {
        let length = UInt16(truncatingIfNeeded: bytes.count - offset)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: length, toByteOffset: offset, as: UInt16.self) }
    }

    private mutating func patchLength(at offset: Int, _ length: UInt32) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: length, toByteOffset: offset, as: UInt32.self) }
    }
}
