import Testing
@testable import ControlPlane

/// A secret source over a fixed map (the real one is Secrets Manager's store, exercised end to
/// end by ServeRepositoryCredentialsTests); counts reads.
private final class MapSecrets: RegistrySecretSource, @unchecked Sendable {
    let values: [String: String]
    private(set) var reads: [String] = []

    init(_ values: [String: String]) { self.values = values }

    func secretString(_ secretID: String) throws(RegistrySecretUnavailable) -> String {
        reads.append(secretID)
        guard let value = values[secretID] else {
            throw RegistrySecretUnavailable(reason: "ResourceNotFoundException: Secrets Manager can't find the specified secret.")
        }
        return value
    }
}

@Suite("repositoryCredentials resolution")
struct RepositoryCredentialsResolverTests {
    private func definition(_ containers: [(image: String, secret: String?)]) -> TaskDefinition {
        var td = TaskDefinitionFixtures.minimal()
        td.containerDefinitions = containers.enumerated().map { index, container in
            ContainerDefinition(name: "c\(index)", image: container.image,
                                repositoryCredentials: container.secret.map { .init(credentialsParameter: $0) }, memory: 32)
        }
        return td
    }

    @Test("Each image gets its container's secret, each secret is read once")
    func resolves() throws {
        let secrets = MapSecrets(["robot": #"{"username":"robot","password":"s3cret","extra":1}"#])
        let resolver = RepositoryCredentialsResolver(source: secrets)
        let credentials = try resolver.credentials(for: definition([
            (image: "r.example/a:1", secret: "robot"), (image: "r.example/b:1", secret: "robot"), (image: "busybox", secret: nil),
        ]))
        #expect(credentials.mapValues { "\($0.username):\($0.password)" }
            == ["r.example/a:1": "robot:s3cret", "r.example/b:1": "robot:s3cret"])
        #expect(secrets.reads == ["robot"])
    }

    @Test("A missing or malformed secret, or no secret store, is ECS's ResourceInitializationError")
    func failures() {
        let secrets = MapSecrets(["bad": #"{"user":"robot"}"#, "text": "robot:s3cret"])
        let resolver = RepositoryCredentialsResolver(source: secrets)
        for (secret, expected) in [
            ("absent", "unable to retrieve secret absent from secrets manager: ResourceNotFoundException: "
                + "Secrets Manager can't find the specified secret."),
            ("bad", #"secret bad is not a JSON object with string members "username" and "password""#),
            ("text", #"secret text is not a JSON object with string members "username" and "password""#),
        ] {
            let error = #expect(throws: RepositoryCredentialsResolver.Failure.self) {
                try resolver.credentials(for: definition([(image: "r.example/a:1", secret: secret)]))
            }
            #expect(error?.stoppedReason == "ResourceInitializationError: unable to pull secrets or registry auth: " + expected)
        }
        #expect(throws: RepositoryCredentialsResolver.Failure.noSecretStore(secretID: "x")) {
            try RepositoryCredentialsResolver(source: nil).credentials(for: definition([(image: "a", secret: "x")]))
        }
    }
}
