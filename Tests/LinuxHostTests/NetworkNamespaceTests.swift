import Glibc
import XCTest

@testable import LinuxHost

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
    func testCreateEnterAndRelease() throws {
        let home = netTestNamespaceInode(netTestCurrentThreadNamespace)
        let fd = try NetworkNamespace.create()
        XCTAssertEqual(netTestNamespaceInode(netTestCurrentThreadNamespace), home, "thread must be back home")
        let path = "/proc/self/fd/\(fd)"
        let inode = netTestNamespaceInode(path)
        XCTAssertNotEqual(inode, 0)
        XCTAssertNotEqual(inode, home, "the descriptor must name a different namespace")

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
        close(fd)
    }

    func testEachNamespaceIsNewAndNoMountIsAdded() throws {
        let mountsBefore = try netTestReadFile("/proc/self/mountinfo")
        let first = try NetworkNamespace.create()
        defer { close(first) }
        let second = try NetworkNamespace.create()
        defer { close(second) }
        XCTAssertNotEqual(netTestNamespaceInode("/proc/self/fd/\(first)"), netTestNamespaceInode("/proc/self/fd/\(second)"))
        XCTAssertEqual(try netTestReadFile("/proc/self/mountinfo"), mountsBefore, "pinning must not mount anything")
        XCTAssertEqual(fcntl(first, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC)
    }

    func testBodyThatThrowsStillReturnsHome() throws {
        let home = netTestNamespaceInode(netTestCurrentThreadNamespace)
        let fd = try NetworkNamespace.create()
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
