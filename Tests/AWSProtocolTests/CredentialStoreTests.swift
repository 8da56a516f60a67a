import Foundation
import Glibc
import Testing
import WharfTestSupport
@testable import AWSProtocol

@Suite("Credentials file and store")
struct CredentialStoreTests {
    static let sample = """
        # Wharf credentials
        [wharf]
        aws_access_key_id = AKIAWHARFTESTKEY2345
        aws_secret_access_key=w8Vq2m+Tn0Xb/Ks7Lr4Jy1Hc9Pd3Fg6Zt5Ea2Wq0

        ; a second key pair, with a token
        [ ci ]
          AWS_ACCESS_KEY_ID   =   AKIACIKEY00000000002
          aws_secret_access_key = ci/secret+value=
          aws_session_token = tok/en==
        [profile settings-only]
        region = eu-west-1
        [profile other]
        aws_access_key_id = AKIAOTHER00000000003
        aws_secret_access_key = other
        """

    @Test("Parses several profiles; comments, spacing and key case do not matter")
    func parse() throws {
        let credentials = try CredentialsFile.parse(Self.sample, path: "credentials")
        #expect(credentials == [
            AWSCredential(profile: "wharf", accessKeyID: "AKIAWHARFTESTKEY2345", secretAccessKey: "w8Vq2m+Tn0Xb/Ks7Lr4Jy1Hc9Pd3Fg6Zt5Ea2Wq0"),
            AWSCredential(profile: "ci", accessKeyID: "AKIACIKEY00000000002", secretAccessKey: "ci/secret+value=", sessionToken: "tok/en=="),
            AWSCredential(profile: "other", accessKeyID: "AKIAOTHER00000000003", secretAccessKey: "other"),
        ])
    }

    @Test("Every profile's key is accepted; lookups by access key id")
    func multipleProfiles() throws {
        let store = try CredentialStore(credentials: try CredentialsFile.parse(Self.sample, path: "credentials"))
        #expect(store.credential(accessKeyID: "AKIACIKEY00000000002")?.profile == "ci")
        #expect(store.credential(accessKeyID: "AKIAOTHER00000000003")?.secretAccessKey == "other")
        #expect(store.credential(accessKeyID: "AKIANOSUCHKEY0000000") == nil)
        #expect(store.credentials.map(\.profile) == ["wharf", "ci", "other"])
    }

    @Test("Refuses malformed files, naming the line or profile", arguments: [
        ("[wharf]\naws_access_key_id = A\n", CredentialStoreError.incompleteProfile(
            path: "f", profile: "wharf", missing: "aws_secret_access_key")),
        ("[wharf]\naws_secret_access_key = s\n", .incompleteProfile(path: "f", profile: "wharf", missing: "aws_access_key_id")),
        ("aws_access_key_id = A\n", .settingOutsideProfile(path: "f", line: 1)),
        ("[wharf]\njust words\n", .malformedLine(path: "f", line: 2, text: "just words")),
        ("[wharf\n", .malformedLine(path: "f", line: 1, text: "[wharf")),
        ("[a]\naws_access_key_id=K\naws_secret_access_key=1\n[b]\naws_access_key_id=K\naws_secret_access_key=2\n",
         .duplicateAccessKey(path: "", accessKeyID: "K", profiles: ["a", "b"])),
    ])
    func malformed(text: String, expected: CredentialStoreError) {
        #expect(throws: expected) {
            _ = try CredentialStore(credentials: try CredentialsFile.parse(text, path: "f"))
        }
    }

    @Test("Render and parse round trip")
    func roundTrip() throws {
        let credentials = [Fixtures.wharf, Fixtures.session]
        #expect(try CredentialsFile.parse(CredentialsFile.render(credentials), path: "f") == credentials)
    }

    @Test("Generated keys look like AWS's and differ each time")
    func generation() throws {
        let first = try CredentialGenerator.generate(profile: "wharf")
        let second = try CredentialGenerator.generate(profile: "wharf")
        for credential in [first, second] {
            #expect(credential.accessKeyID.wholeMatch(of: /AKIA[A-Z2-7]{16}/) != nil, "\(credential.accessKeyID)")
            #expect(credential.secretAccessKey.wholeMatch(of: /[A-Za-z0-9+\/]{40}/) != nil)
            #expect(credential.sessionToken == nil)
        }
        #expect(first.accessKeyID != second.accessKeyID)
        #expect(first.secretAccessKey != second.secretAccessKey)
        #expect(!first.description.contains(first.secretAccessKey))
    }

    @Test("loadOrCreate creates the file once (mode 0600, atomically), then loads it")
    func loadOrCreate() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("credentials")
        let (store, outcome) = try CredentialStore.loadOrCreate(path: path)
        guard case .created(let credential) = outcome else {
            Issue.record("expected a new key pair, got \(outcome)")
            return
        }
        #expect(credential.profile == "wharf")
        #expect(store.credential(accessKeyID: credential.accessKeyID) == credential)
        #expect(store.path == path)

        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["credentials"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try CredentialsFile.parse(text, path: path) == [credential])

        let (again, secondOutcome) = try CredentialStore.loadOrCreate(path: path)
        #expect(secondOutcome == .loaded)
        #expect(again.credentials == [credential])
    }

    @Test("loadOrCreate never replaces an existing file, even one without keys")
    func existingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("credentials")
        try "[wharf]\nregion = us-east-1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CredentialStoreError.noCredentials(path: path)) { _ = try CredentialStore.loadOrCreate(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "[wharf]\nregion = us-east-1\n")
    }

    @Test("Missing files and directories are errors that name the call and errno")
    func missing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent")
        #expect(throws: CredentialStoreError.system(step: "open credentials", call: "open", path: path, errno: ENOENT)) {
            _ = try CredentialStore.load(path: path)
        }
        let nested = directory.file("no/such/dir/credentials")
        do {
            _ = try CredentialStore.loadOrCreate(path: nested)
            Issue.record("created credentials in a missing directory")
        } catch {
            guard case .system(let step, let call, _, let code) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(step == "create credentials")
            #expect(call == "open")
            #expect(code == ENOENT)
        }
    }

    @Test("reload picks up a rewritten file; lookups stay consistent under concurrent use")
    func reload() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("credentials")
        try CredentialsFile.render([Fixtures.wharf]).write(toFile: path, atomically: true, encoding: .utf8)
        let store = try CredentialStore.load(path: path)
        #expect(store.credential(accessKeyID: Fixtures.session.accessKeyID) == nil)

        try CredentialsFile.render([Fixtures.wharf, Fixtures.session]).write(toFile: path, atomically: true, encoding: .utf8)
        let misses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var misses = 0
                    for _ in 0..<2_000 where store.credential(accessKeyID: Fixtures.wharf.accessKeyID) == nil { misses += 1 }
                    return misses
                }
            }
            group.addTask {
                for _ in 0..<20 { try? store.reload() }
                return 0
            }
            return await group.reduce(0, +)
        }
        #expect(misses == 0)
        #expect(store.credential(accessKeyID: Fixtures.session.accessKeyID) == Fixtures.session)

        try "garbage\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CredentialStoreError.self) { try store.reload() }
        #expect(store.credentials == [Fixtures.wharf, Fixtures.session])
    }

    @Test("Shell lines for the AWS CLI")
    func environmentLines() {
        #expect(CredentialStore.environmentLines(path: "/var/lib/wharf/credentials") == [
            "export AWS_SHARED_CREDENTIALS_FILE=/var/lib/wharf/credentials", "export AWS_PROFILE=wharf",
        ])
        #expect(CredentialStore.environmentLines(path: "/tmp/it's here", profile: "p")[0]
                == #"export AWS_SHARED_CREDENTIALS_FILE='/tmp/it'\''s here'"#)
    }
}
