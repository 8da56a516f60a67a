import XCTest
@testable import ImageStore

final class ReferenceTests: XCTestCase {
    func testNormalizationTable() throws {
        let table: [(input: String, normalized: String, familiar: String)] = [
            ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
            ("library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", "busybox:latest"),
            ("index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest"),
            ("team/app", "docker.io/team/app:latest", "team/app:latest"),
            ("registry:5000/team/app:tag", "registry:5000/team/app:tag", "registry:5000/team/app:tag"),
            ("localhost/app", "localhost/app:latest", "localhost/app:latest"),
            ("ghcr.io/org/sub/app:v1.2.3-rc_1", "ghcr.io/org/sub/app:v1.2.3-rc_1", "ghcr.io/org/sub/app:v1.2.3-rc_1"),
            ("my-app__x.y", "docker.io/library/my-app__x.y:latest", "my-app__x.y:latest"),
            ("busybox@sha256:" + String(repeating: "ab", count: 32),
             "docker.io/library/busybox@sha256:" + String(repeating: "ab", count: 32),
             "busybox@sha256:" + String(repeating: "ab", count: 32)),
            ("busybox:1@sha256:" + String(repeating: "0", count: 64),
             "docker.io/library/busybox:1@sha256:" + String(repeating: "0", count: 64),
             "busybox:1@sha256:" + String(repeating: "0", count: 64)),
        ]
        for row in table {
            let reference = try Reference(parsing: row.input)
            XCTAssertEqual(reference.normalized, row.normalized, row.input)
            XCTAssertEqual(reference.familiar, row.familiar, row.input)
            XCTAssertEqual(try Reference(parsing: reference.familiar), reference, "familiar form round-trips")
        }
        XCTAssertEqual(try Reference(parsing: "busybox"), try Reference(parsing: "docker.io/library/busybox:latest"))
        XCTAssertNil(try Reference(parsing: "busybox@sha256:" + String(repeating: "0", count: 64)).tag)
    }

    func testInvalidReferences() {
        for text in ["", "Busybox", "busybox:", ":tag", "a//b", "-app", "app-", "busybox@sha256:1234", "bad:tag:x",
                     String(repeating: "a", count: 64), "registry:port/app", "app:" + String(repeating: "t", count: 129)] {
            XCTAssertThrowsError(try Reference(parsing: text), text) { error in
                guard case .invalidReference? = error as? ImageStoreError else { return XCTFail("\(text): \(error)") }
            }
        }
    }

    func testDigestAndSHA256() throws {
        XCTAssertEqual(Digest.of([]).hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Digest.of(Array("abc".utf8)).hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(Digest.of(million).hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Chunked updates agree with one-shot hashing across block boundaries.
        let hasher = SHA256()
        for chunk in stride(from: 0, to: million.count, by: 777) {
            million[chunk..<min(chunk + 777, million.count)].withUnsafeBytes { hasher.update($0) }
        }
        XCTAssertEqual(hasher.finalizeHex(), Digest.of(million).hex)
        // After finalizing, a hasher is empty again.
        XCTAssertEqual(hasher.finalizeHex(), Digest.of([]).hex)
        XCTAssertThrowsError(try Digest("sha512:" + String(repeating: "0", count: 64)))
        XCTAssertThrowsError(try Digest("sha256:" + String(repeating: "G", count: 64)))
    }
}
