#if canImport(Glibc)
import Glibc
#endif

/// A persistent IPv4 address pool for one task network, kept as files in a directory.
///
/// Each allocated address is a file named after it (`10.88.0.7`) holding the owner's id, created
/// with `O_EXCL`, so an address is never handed out twice, even by two processes at once, and
/// allocations survive restarts. A second file per owner (`owner.ID`) names its address, so
/// release by owner is exact. Allocation starts after the last address handed out (`next`),
/// so a just-released address is not reused at once while peers may still cache its MAC.
public struct IPAddressPool: Sendable {
    public let directory: String
    public let network: IPv4Network

    public init(directory: String, network: IPv4Network) throws(SystemError) {
        self.directory = directory
        self.network = network
        try FileSystem.makeDirectories(directory, mode: 0o700)
    }

    /// Width of the `next` hint before its newline: the longest dotted quad, space-padded.
    static let hintWidth = 15

    /// Addresses the pool may hand out: every host address but the gateway (the bridge's).
    private var hostRange: ClosedRange<UInt32> {
        network.gateway.value + 1...network.lastHost.value
    }

    /// Allocates an address for `owner` (a task id); returns the one it already holds if any.
    public func allocate(owner: String) throws(SystemError) -> IPv4Address {
        if let held = address(of: owner) { return held }
        let range = hostRange
        guard !range.isEmpty else {
            throw SystemError(step: "allocate an address in \(network)", call: "ipam", errno: ENOSPC)
        }
        let count = UInt64(range.upperBound - range.lowerBound) + 1
        var start = range.lowerBound
        if let hint = (try? FileSystem.readIfPresent(directory + "/next")).flatMap({ $0 }).flatMap({
            IPv4Address($0.trimmingNewline)
        }), range.contains(hint.value) {
            start = hint.value
        }
        var offset: UInt64 = 0
        while offset < count {
            let value = range.lowerBound + UInt32((UInt64(start - range.lowerBound) + offset) % count)
            let candidate = IPv4Address(value)
            if try FileSystem.createExclusive(directory + "/" + candidate.description, owner) {
                do {
                    try FileSystem.writeAtomically(directory + "/owner." + owner, candidate.description)
                } catch {
                    unlink(directory + "/" + candidate.description)
                    throw error
                }
                let next = value == range.upperBound ? range.lowerBound : value + 1
                // Only a hint, so a torn read is harmless (the scan merely starts elsewhere;
                // O_EXCL still decides). Rewritten in place at a fixed width rather than
                // replaced through a temporary file: no directory entry changes, which saves an
                // inode allocation, a rename and an unlink per launch.
                let hint = IPv4Address(next).description
                try? FileSystem.writeInPlace(
                    directory + "/next", hint + String(repeating: " ", count: max(0, Self.hintWidth - hint.utf8.count)) + "\n",
                    createMode: 0o644)
                return candidate
            }
            offset += 1
        }
        throw SystemError(step: "allocate an address in \(network): every address is in use", call: "ipam", errno: ENOSPC)
    }

    /// The address `owner` holds, if any.
    public func address(of owner: String) -> IPv4Address? {
        Self.address(of: owner, directory: directory)
    }

    private static func address(of owner: String, directory: String) -> IPv4Address? {
        guard let text = try? FileSystem.readIfPresent(directory + "/owner." + owner) else { return nil }
        return IPv4Address(text.trimmingNewline)
    }

    /// Releases whatever `owner` holds; releasing twice is harmless.
    public func release(owner: String) throws(SystemError) {
        try Self.release(owner: owner, directory: directory)
    }

    /// Releases whatever `owner` holds in the pool kept in `directory`, without knowing its network
    /// (cleanup after a crash only has the directory name).
    public static func release(owner: String, directory: String) throws(SystemError) {
        if let held = address(of: owner, directory: directory) {
            // Only remove the address file if it is still ours.
            let path = directory + "/" + held.description
            if (try? FileSystem.readIfPresent(path)).flatMap({ $0 }) == owner {
                try FileSystem.removeIfPresent(path)
            }
        }
        try FileSystem.removeIfPresent(directory + "/owner." + owner)
    }

    /// Every allocation as (address, owner).
    public func allocations() throws(SystemError) -> [(address: IPv4Address, owner: String)] {
        var result: [(address: IPv4Address, owner: String)] = []
        for name in try FileSystem.listDirectory(directory) {
            guard let address = IPv4Address(name),
                let owner = try FileSystem.readIfPresent(directory + "/" + name)
            else { continue }
            result.append((address: address, owner: owner))
        }
        return result
    }
}

extension String {
    var trimmingNewline: String {
        var text = self
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text
    }
}
