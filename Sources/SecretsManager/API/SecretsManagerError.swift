import AWSProtocol

/// Secrets Manager's exceptions, in the `{"__type","message"}` shape of
/// ``AWSProtocol/AWSServiceError``, with AWS's wording where it has one.
enum SecretsManagerError {
    /// A member outside the API model's constraints (length, pattern, range).
    static func validation(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "ValidationException", message: message)
    }

    /// A parameter value that is not valid for the current state of the resource.
    static func invalidParameter(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "InvalidParameterException", message: message)
    }

    /// A request the secret's state does not allow (e.g. it is marked for deletion).
    static func invalidRequest(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "InvalidRequestException", message: message)
    }

    static let secretNotFound = AWSServiceError(
        type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret.")

    static func valueNotFound(_ selector: String) -> AWSServiceError {
        AWSServiceError(type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret value for \(selector)")
    }

    static func exists(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "ResourceExistsException", message: message)
    }

    static let markedForDeletion = invalidRequest(
        "You can't perform this operation on the secret because it was marked for deletion.")

    static func limitExceeded(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "LimitExceededException", message: message)
    }

    static func invalidNextToken(_ operation: String) -> AWSServiceError {
        AWSServiceError(type: "InvalidNextTokenException", message: InvalidPaginationToken(operation: operation).description)
    }

    static func internalError(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "InternalServiceError", message: message, status: 500)
    }

    /// The rate-limit refusal AWS answers when it is too busy (SDKs and the CLI retry it with
    /// back-off).
    static func throttling(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "ThrottlingException", message: message)
    }

    /// A store failure as the API reports it (the API's own errors pass through): a transaction
    /// that waited past the store's busy timeout for another writer is a ThrottlingException
    /// (the client retries), anything else an internal fault.
    static func from(_ error: any Error) -> AWSServiceError {
        if let error = error as? AWSServiceError { return error }
        if case SecretsStoreError.transaction(_, busy: true)? = error as? SecretsStoreError {
            return throttling("The secrets store is busy with another request; retry the request.")
        }
        return internalError("\(error)")
    }
}
