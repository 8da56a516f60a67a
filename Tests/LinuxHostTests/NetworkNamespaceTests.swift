import Glibc
import XCTest

@testable import LinuxHost

/// A unique directory for namespace files under /tmp, cleaned up (including the shared
/// self-bind-mount `NetworkNamespace.prepareDirectory` puts on it) by `remove()`.
struct NetTestNamespaceDirectory {
    let path: String

    init() {
        path = "/tmp/wharf-nstest-" + netTestRandomHex()
    }

    func namespacePath(_ name: String = "ns") -> String { "\(path)/\(name)" }

    /// Removes every namespace file in the directory, its mount and the directory itself.
    func remove(namespaces: [String] = ["ns"]) {
        for name in namespaces { try? NetworkNamespace.remove(at: namespacePath(name)) }
        _ = umount2(path, Int32(MNT_DETACH))
        _ = rmdir(path)
    }
}

/// Eight random lowercase hex digits.
func netTestRandomHex() -> String {
    let value = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return String(repeating: "0", count: 8 - value.count) + value
}

/// The inode of a namespace file (equal inodes = same namespace).
func netTestNamespaceInode(_ path: String) -> UInt64 {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return UInt64(info.st_ino)
}

let netTestCurrentThreadNamespace = "/proc/thread-self/ns/net"

final class NetworkNamespaceTests: XCTestCase {
    private var directory = NetTestNamespaceDirectory()

    override func setUpWithError() throws {
        directory = NetTestNamespaceDirectory()
        try NetworkNamespace.prepareDirectory(directory.path)
    }

    override func tearDown() {
        directory.remove(namespaces: ["ns", "second"])
        var info = stat()
        XCTAssertNotEqual(stat(directory.path, &info), 0, "test directory left behind")
    }

    func testCreateEnterAndRemove() throws {
        let home = netTestNamespaceInode(netTestCurrentThreadNamespace)
        let path = directory.namespacePath()
        try NetworkNamespace.create(at: path)
        XCTAssertEqual(netTestNamespaceInode(netTestCurrentThreadNamespace), home, "thread must be back home")
        let inode = netTestNamespaceInode(path)
        XCTAssertNotEqual(inode, 0)
        XCTAssertNotEqual(inode, home, "the file must pin a different namespace")

        let fd = try NetworkNamespace.open(at: path)
        defer { close(fd) }
        let inside = try withNetworkNamespace(fd: fd) { () throws(SystemError) -> UInt64 in
            netTestNamespaceInode(netTestCurrentThreadNamespace)
        }
        XCTAssertEqual(inside, inode)
        XCTAssertEqual(netTestNamespaceInode(netTestCurrentThreadNamespace), home)

        // A fresh namespace has only a loopback device, and it is down.
        let netlink = try RouteNetlink(namespaceFD: fd)
        let links = try netlink.links()
        XCTAssertEqual(links.map(\.name), ["lo"])
        XCTAssertEqual(links.first?.isUp, false)

        try NetworkNamespace.remove(at: path)
        XCTAssertEqual(netTestNamespaceInode(path), 0, "file must be gone")
    }

    func testPreparedDirectoryIsOneSharedMount() throws {
        // Preparing again (a second runtime on the same directory) adds no second self-bind.
        try NetworkNamespace.prepareDirectory(directory.path)
        try NetworkNamespace.create(at: directory.namespacePath())
        try NetworkNamespace.create(at: directory.namespacePath("second"))
        let mountInfo = try netTestReadFile("/proc/self/mountinfo")
        let lines = mountInfo.split(separator: "\n").filter { $0.split(separator: " ")[4] == directory.path }
        // Exactly one self-bind (not one per preparation or namespace), and it is shared.
        XCTAssertEqual(lines.count, 1, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.first?.contains("shared:") ?? false, lines.joined(separator: "\n"))
    }

    func testCreatingOverExistingPathFailsAndLeavesThreadHome() throws {
        let home = netTestNamespaceInode(netTestCurrentThreadNamespace)
        let path = directory.namespacePath()
        try NetworkNamespace.create(at: path)
        let pinned = netTestNamespaceInode(path)
        XCTAssertThrowsError(try NetworkNamespace.create(at: path)) { error in
            let systemError = error as? SystemError
            XCTAssertEqual(systemError?.errno, EEXIST)
            XCTAssertTrue(systemError?.step.contains(path) ?? false)
        }
        XCTAssertEqual(netTestNamespaceInode(netTestCurrentThreadNamespace), home)
        XCTAssertEqual(netTestNamespaceInode(path), pinned, "the existing namespace must be untouched")
    }

    func testRemovingMissingNamespaceIsNotAnError() throws {
        try NetworkNamespace.remove(at: directory.namespacePath("missing"))
    }

    func testBodyThatThrowsStillReturnsHome() throws {
        let home = netTestNamespaceInode(netTestCurrentThreadNamespace)
        let path = directory.namespacePath()
        try NetworkNamespace.create(at: path)
        let fd = try NetworkNamespace.open(at: path)
        defer { close(fd) }
        XCTAssertThrowsError(
            try withNetworkNamespace(fd: fd) { () throws(SystemError) in
                throw SystemError(step: "inside", call: "test", errno: EIO)
            })
        XCTAssertEqual(netTestNamespaceInode(netTestCurrentThreadNamespace), home)
    }

    func testEnteringSomethingThatIsNotANamespaceFails() throws {
        let fd = open("/proc/self/status", O_RDONLY)
        defer { close(fd) }
        XCTAssertThrowsError(try withNetworkNamespace(fd: fd) { () throws(SystemError) in }) { error in
            XCTAssertEqual((error as? SystemError)?.errno, EINVAL)
        }
    }
}

/// Reads a (small, procfs) file without Foundation.
func netTestReadFile(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw SystemError.current(step: "read \(path)", call: "open") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}
