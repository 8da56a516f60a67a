import Testing
@testable import AWSProtocol

@Suite("OpenSSL primitives")
struct CryptoTests {
    @Test("SHA-256 of known inputs")
    func sha256() throws {
        #expect(try Crypto.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try Crypto.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("HMAC-SHA256, RFC 4231 test case 2")
    func hmac() throws {
        let tag = try Crypto.hmacSHA256(key: Array("Jefe".utf8), message: "what do ya want for nothing?")
        #expect(Crypto.hex(tag) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("SigV4 signing key, the example of AWS's IAM documentation")
    func signingKey() throws {
        let key = try SigningKeyCache.derive(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20150830", region: "us-east-1", service: "iam")
        #expect(Crypto.hex(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test("The key cache derives once per scope")
    func keyCache() throws {
        let cache = SigningKeyCache()
        let first = try cache.key(secret: "s", date: "20261122", region: "us-east-1", service: "ecs")
        let again = try cache.key(secret: "s", date: "20261122", region: "us-east-1", service: "ecs")
        let otherDay = try cache.key(secret: "s", date: "20261123", region: "us-east-1", service: "ecs")
        #expect(first == again)
        #expect(first != otherDay)
        #expect(cache.count == 2)
        #expect(first == (try SigningKeyCache.derive(secret: "s", date: "20261122", region: "us-east-1", service: "ecs")))
    }

    @Test("Constant-time comparison")
    func comparison() {
        #expect(Crypto.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!Crypto.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!Crypto.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(Crypto.constantTimeEqual([], []))
    }

    @Test("Random bytes differ between draws")
    func random() throws {
        let first = try Crypto.randomBytes(32)
        let second = try Crypto.randomBytes(32)
        #expect(first.count == 32)
        #expect(first != second)
    }
}
