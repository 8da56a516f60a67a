import AWSProtocol
import Foundation
import Glibc
import Testing
import WharfTestSupport
@testable import SecretsManager

@Suite("Secrets store file")
struct SecretsStoreFileTests {
    @Test("The file is created with mode 0600, tightened if it exists, and keeps secrets across opens")
    func fileModeAndPersistence() async throws {
        let directory = try TemporaryDirectory(prefix: "wharf-secrets")
        let path = directory.file(SecretsStore.defaultFileName)
        var arn: JSONValue?
        do {
            let api = try APIFixture(store: try SecretsStore(path: path))
            arn = try await api.ok("CreateSecret", ["Name": "kept", "SecretString": "value"])[member: "ARN"]
        }
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        #expect(chmod(path, 0o644) == 0)
        let reopened = try APIFixture(store: try SecretsStore(path: path))
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let value = try await reopened.ok("GetSecretValue", ["SecretId": "kept"])
        #expect(value[member: "SecretString"] == "value")
        #expect(value[member: "ARN"] == arn)
    }

    @Test("A directory that cannot hold the file is reported with the call that failed")
    func unwritablePath() throws {
        #expect(throws: SecretsStoreError.self) { try SecretsStore(path: "/nonexistent-wharf-dir/secrets.sqlite") }
    }

    @Test("Store failures map to ThrottlingException (busy, retried by clients) or InternalServiceError")
    func storeErrors() {
        let busy = SecretsManagerError.from(SecretsStoreError.transaction(reason: "database is locked", busy: true))
        #expect(busy.type == "ThrottlingException")
        #expect(busy.status == 400)
        let broken = SecretsManagerError.from(SecretsStoreError.transaction(reason: "disk I/O error", busy: false))
        #expect(broken.type == "InternalServiceError")
        #expect(broken.status == 500)
        let refusal = SecretsManagerError.markedForDeletion
        #expect(SecretsManagerError.from(refusal) == refusal)
    }
}
