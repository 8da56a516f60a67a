import Testing
@testable import AWSProtocol

@Suite("SigV4 canonical request")
struct CanonicalRequestTests {
    @Test("Paths: dot segments and empty segments removed, then encoded a second time", arguments: [
        ("", "/"),
        ("/", "/"),
        ("//", "/"),
        ("/a/./b/../c", "/a/c"),
        ("/a//b/", "/a/b/"),
        ("/../..", "/"),
        ("/a%20b", "/a%2520b"),
        ("/%C3%BC/x~y", "/%25C3%25BC/x~y"),
        ("/!$'()*,;=:@", "/%21%24%27%28%29%2A%2C%3B%3D%3A%40"),
        ("/a/%2E%2E/b", "/a/%252E%252E/b"),
    ])
    func paths(raw: String, canonical: String) {
        #expect(CanonicalRequest.canonicalURI(rawPath: raw) == canonical)
    }

    @Test("Queries: decoded, re-encoded, sorted by name then value", arguments: [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1&a=10", "a=1&a=10&a=2"),
        ("flag&x=", "flag=&x="),
        ("name=a%20b&name2=a+b", "name=a%20b&name2=a%20b"),
        ("k=%2b&k2=%2F", "k=%2B&k2=%2F"),
        ("%C3%BC=%E6%97%A5&Z=1", "%C3%BC=%E6%97%A5&Z=1"),
        ("t=~-_.&s=!*'()", "s=%21%2A%27%28%29&t=~-_."),
        ("a=1&&b=2", "a=1&b=2"),
        ("bad=%zz", "bad=%25zz"),
    ])
    func queries(raw: String, canonical: String) {
        #expect(CanonicalRequest.canonicalQuery(rawQuery: raw) == canonical)
    }

    @Test("Headers: values trimmed and collapsed, repeats joined with commas, names lowercased")
    func headers() {
        let headers: [(name: String, value: String)] = [
            (name: "Host", value: "example.com"), (name: "X-Multi", value: "  a \t  b  "),
            (name: "x-multi", value: "c"), (name: "X-Empty", value: "   "),
        ]
        let text = CanonicalRequest.canonicalHeaders(signedHeaders: ["host", "x-empty", "x-missing", "x-multi"], headers: headers)
        #expect(text == "host:example.com\nx-empty:\nx-missing:\nx-multi:a b,c\n")
    }

    @Test("The whole canonical request of the test suite's get-vanilla")
    func wholeRequest() {
        let request = CanonicalRequest(
            method: "GET", rawPath: "/", rawQuery: "",
            headers: [(name: "Host", value: "example.amazonaws.com"), (name: "X-Amz-Date", value: "20150830T123600Z")],
            signedHeaders: ["host", "x-amz-date"], payloadHash: SigV4TestSuiteTests.emptyHash)
        #expect(request.text == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
    }
}
