import LinuxHost
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `FileSystem.removeTree`, which cleanup after every task relies on: it must never reach
/// outside the tree, through a symlink or through a mount.
final class FileSystemTests: XCTestCase {
    var root = ""
    var outside = ""

    override func setUpWithError() throws {
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        root = "/tmp/wharf-fs-test-" + token
        outside = "/tmp/wharf-fs-outside-" + token
        try FileSystem.makeDirectories(root + "/a/b")
        try FileSystem.makeDirectories(outside)
        XCTAssertTrue(try FileSystem.createExclusive(outside + "/keep", "host data"))
    }

    override func tearDown() {
        for _ in 0..<4 { _ = umount2(root + "/a/mnt", Int32(MNT_DETACH)) }
        try? FileSystem.removeTree(root)
        try? FileSystem.removeTree(outside)
    }

    func testRemovesNestedTreeAndMissingPathIsFine() throws {
        XCTAssertTrue(try FileSystem.createExclusive(root + "/a/b/file", "x"))
        try FileSystem.removeTree(root)
        XCTAssertFalse(FileSystem.exists(root))
        try FileSystem.removeTree(root)
    }

    func testWriteExistingWritesInPlaceWithoutTruncating() throws {
        let path = root + "/hint"
        XCTAssertThrowsError(try FileSystem.writeInPlace(path, "10.50.0.255\n"), "missing and no create mode") { error in
            XCTAssertEqual((error as? SystemError)?.errno, ENOENT)
        }
        try FileSystem.writeInPlace(path, "10.50.0.255\n", createMode: 0o600)
        var before = stat()
        XCTAssertEqual(lstat(path, &before), 0)
        XCTAssertEqual(before.st_mode & 0o777, 0o600)
        try FileSystem.writeInPlace(path, "10.9.0.7")
        var after = stat()
        XCTAssertEqual(lstat(path, &after), 0)
        XCTAssertEqual(after.st_ino, before.st_ino, "the same file, not a replacement")
        XCTAssertEqual(try FileSystem.read(path), "10.9.0.7255\n", "only the start is written")
    }

    func testSymlinkIsRemovedNotFollowed() throws {
        XCTAssertEqual(symlink(outside, root + "/a/link"), 0)
        try FileSystem.removeTree(root)
        XCTAssertFalse(FileSystem.exists(root))
        XCTAssertEqual(try FileSystem.read(outside + "/keep"), "host data")
    }

    func testMountPointsBelowAreDetachedNotEmptied() throws {
        try FileSystem.makeDirectories(root + "/a/mnt")
        // A bind mount of a host directory, stacked twice, as a volume or a namespace directory
        // shared with itself can leave it.
        XCTAssertEqual(mount(outside, root + "/a/mnt", nil, UInt(MS_BIND), nil), 0)
        XCTAssertEqual(mount(outside, root + "/a/mnt", nil, UInt(MS_BIND), nil), 0)
        try FileSystem.removeTree(root)
        XCTAssertFalse(FileSystem.exists(root))
        XCTAssertEqual(try FileSystem.read(outside + "/keep"), "host data")
        let mounts = try FileSystem.read("/proc/self/mountinfo")
        XCTAssertFalse(mounts.contains(root), "a mount under the removed tree is still there")
    }

    /// ext4 takes the flag (and keeps it: a second call finds it set) and drops it again; tmpfs
    /// has no such flag, which is no error.
    func testTopDirectoryFlagOnExt4AndNoneOnTmpfs() throws {
        try FileSystem.makeDirectories(root + "/a/mnt")
        XCTAssertEqual(mount("tmpfs", root + "/a/mnt", "tmpfs", 0, nil), 0)
        XCTAssertFalse(FileSystem.setTopDirectoryFlag(root + "/a/mnt", on: true))
        XCTAssertFalse(FileSystem.setTopDirectoryFlag(root + "/missing", on: true))

        let type = try Self.filesystemType(of: root)
        guard type.hasPrefix("ext") else { throw XCTSkip("\(root) is on \(type), not ext4: the flag cannot be checked") }
        XCTAssertFalse(Self.hasTopDirectoryFlag(root))
        XCTAssertTrue(FileSystem.setTopDirectoryFlag(root, on: true), "ext4 keeps FS_TOPDIR_FL")
        XCTAssertTrue(Self.hasTopDirectoryFlag(root))
        XCTAssertTrue(FileSystem.setTopDirectoryFlag(root, on: true), "already set")
        XCTAssertTrue(FileSystem.setTopDirectoryFlag(root, on: false))
        XCTAssertFalse(Self.hasTopDirectoryFlag(root))
        XCTAssertTrue(FileSystem.setTopDirectoryFlag(root, on: false), "already clear")
    }

    /// The type of the filesystem mounted deepest above `path`, from mountinfo.
    private static func filesystemType(of path: String) throws -> String {
        var best: (mountPoint: Substring, type: Substring) = ("", "")
        for line in try FileSystem.read("/proc/self/mountinfo").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = fields[4]
            let below = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if below && mountPoint.count >= best.mountPoint.count { best = (mountPoint, fields[dash + 1]) }
        }
        return String(best.type)
    }

    private static func hasTopDirectoryFlag(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        var flags: Int32 = 0
        return ioctl(fd, 0x8008_6601, &flags) == 0 && flags & 0x0002_0000 != 0
    }
}
