#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A transport protocol whose ports a task can publish on the host.
public enum HostPortProtocol: String, Sendable, Codable, CaseIterable {
    case tcp, udp
}

/// One port of the host, of one transport protocol.
public struct HostPort: Hashable, Sendable {
    public var transport: HostPortProtocol
    public var number: UInt16

    public init(_ transport: HostPortProtocol, _ number: UInt16) {
        self.transport = transport
        self.number = number
    }

    /// `tcp.8080`: the pool's file name for the port, and its form in a task's plan.
    public var text: String { transport.rawValue + "." + String(number) }

    public init?(text: some StringProtocol) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let transport = HostPortProtocol(rawValue: String(parts[0])), let number = UInt16(parts[1])
        else { return nil }
        self.init(transport, number)
    }
}

/// A pool of host ports published for tasks (ECS's bridge mode), kept as files in a directory,
/// in the way of `IPAddressPool`; one pool serves the whole host, as its ports are shared.
///
/// Each taken port is a file named after it (`tcp.8080`) holding its owner's id, created with
/// `O_EXCL`, so a port is never given to two tasks, even by two processes at once, and takes
/// survive restarts. A second file per owner (`owner.ID`) lists its ports, so release by owner
/// is exact. A port some process of the host is bound to is not handed out either: the pool
/// tries to bind it first.
public struct HostPortPool: Sendable {
    public let directory: String
    /// Where ports asked for without a number come from (ECS's dynamic host ports).
    public let dynamicRange: ClosedRange<UInt16>

    /// ECS's default dynamic host port range on Linux.
    public static let defaultDynamicRange: ClosedRange<UInt16> = 49153...65535

    public init(directory: String, dynamicRange: ClosedRange<UInt16> = Self.defaultDynamicRange) throws(SystemError) {
        self.directory = directory
        self.dynamicRange = dynamicRange
        try FileSystem.makeDirectories(directory, mode: 0o700)
    }

    /// One port to take: `port` as asked, or any free one of `dynamicRange` when nil.
    public struct Request: Sendable, Equatable {
        public var transport: HostPortProtocol
        public var port: UInt16?

        public init(_ transport: HostPortProtocol, port: UInt16?) {
            self.transport = transport
            self.port = port
        }
    }

    /// Takes a port for each request, for `owner` (unique on the host), in order; no port twice.
    /// All or nothing: if one cannot be had (asked-for port taken by another task or bound on
    /// the host, or the dynamic range used up) those taken so far are released and this throws
    /// `EADDRINUSE` naming the port (or `ENOSPC` for the range).
    ///
    /// The owner file lists the ports once all are taken; a crash before that leaves port files
    /// no owner file lists, which `holders(directory:)` still finds (they hold the owner).
    public func allocate(owner: String, _ requests: [Request]) throws(SystemError) -> [HostPort] {
        var taken: [HostPort] = []
        do throws(SystemError) {
            for request in requests {
                let port: UInt16
                if let asked = request.port {
                    guard try take(request.transport, asked, owner: owner) else {
                        throw SystemError(
                            step: "publish host port \(request.transport.rawValue) \(asked): taken by another task or bound on the host",
                            call: "bind", errno: EADDRINUSE)
                    }
                    port = asked
                } else {
                    port = try takeDynamic(request.transport, owner: owner)
                }
                taken.append(HostPort(request.transport, port))
            }
            try FileSystem.writeAtomically(directory + "/owner." + owner, taken.map { $0.text + "\n" }.joined())
        } catch {
            for port in taken { try? Self.removeIfOwned(port.text, owner: owner, directory: directory) }
            try? FileSystem.removeIfPresent(directory + "/owner." + owner)
            throw error
        }
        return taken
    }

    /// Releases every port `owner` holds in the pool kept in `directory`; releasing twice is
    /// harmless.
    public static func release(owner: String, directory: String) throws(SystemError) {
        for name in try portFiles(of: owner, directory: directory) {
            try removeIfOwned(name, owner: owner, directory: directory)
        }
        try FileSystem.removeIfPresent(directory + "/owner." + owner)
    }

    /// The ports `owner` holds in the pool kept in `directory`.
    public static func ports(of owner: String, directory: String) throws(SystemError) -> [HostPort] {
        try portFiles(of: owner, directory: directory).compactMap { HostPort(text: $0) }
    }

    /// The names of the port files `owner` holds: those its owner file lists and that still
    /// hold its name, or (with no list: an allocation cut short) all that hold its name.
    private static func portFiles(of owner: String, directory: String) throws(SystemError) -> [String] {
        if let text = try FileSystem.readIfPresent(directory + "/owner." + owner) {
            return text.split(separator: "\n").map(String.init).filter {
                (try? FileSystem.readIfPresent(directory + "/" + $0)) == owner
            }
        }
        return try FileSystem.listDirectory(directory).filter { name in
            HostPort(text: name) != nil && (try? FileSystem.readIfPresent(directory + "/" + name)) == owner
        }
    }

    /// Every owner holding ports in the pool kept in `directory`: those of owner files, and
    /// those of port files no owner file lists (an allocation a crash cut short).
    public static func holders(directory: String) -> Set<String> {
        var found: Set<String> = []
        for name in (try? FileSystem.listDirectory(directory)) ?? [] {
            if name.hasPrefix("owner.") {
                found.insert(String(name.dropFirst(6)))
            } else if HostPort(text: name) != nil, let owner = try? FileSystem.readIfPresent(directory + "/" + name) {
                found.insert(owner)
            }
        }
        return found
    }

    /// Takes one port unless a task (this owner's included) holds it or a host socket is bound to it.
    private func take(_ transport: HostPortProtocol, _ port: UInt16, owner: String) throws(SystemError) -> Bool {
        let path = directory + "/" + HostPort(transport, port).text
        guard try FileSystem.createExclusive(path, owner) else { return false }
        guard Self.isFreeOnHost(transport, port) else {
            try FileSystem.removeIfPresent(path)
            return false
        }
        return true
    }

    private func takeDynamic(_ transport: HostPortProtocol, owner: String) throws(SystemError) -> UInt16 {
        let hint = directory + "/next." + transport.rawValue
        let count = Int(dynamicRange.upperBound) - Int(dynamicRange.lowerBound) + 1
        var start = Int(dynamicRange.lowerBound)
        if let text = try? FileSystem.readIfPresent(hint), let value = UInt16(text.trimmingNewline), dynamicRange.contains(value) {
            start = Int(value)
        }
        for offset in 0..<count {
            let port = UInt16(Int(dynamicRange.lowerBound) + (start - Int(dynamicRange.lowerBound) + offset) % count)
            guard try take(transport, port, owner: owner) else { continue }
            // Only a hint: the next search starts after this port, so a just-released port is
            // not handed out again at once while clients may still hold connections to it.
            let next = port == dynamicRange.upperBound ? dynamicRange.lowerBound : port + 1
            try? FileSystem.writeAtomically(hint, String(next) + "\n")
            return port
        }
        throw SystemError(step: "publish a dynamic \(transport.rawValue) host port: \(dynamicRange) is used up", call: "bind", errno: ENOSPC)
    }

    /// Removes the port file `name` if `owner` still holds it.
    private static func removeIfOwned(_ name: String, owner: String, directory: String) throws(SystemError) {
        let path = directory + "/" + name
        if (try FileSystem.readIfPresent(path)) == owner {
            try FileSystem.removeIfPresent(path)
        }
    }

    /// Whether no socket of the host is bound to `port` (tried with a bind to the wildcard
    /// address; TCP with `SO_REUSEADDR`, so connections lingering in TIME_WAIT do not count).
    static func isFreeOnHost(_ transport: HostPortProtocol, _ port: UInt16) -> Bool {
        let type = transport == .tcp ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        let fd = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if transport == .tcp {
            var on: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: 0)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
