import HTTPCore

/// Writes the heads the proxy forwards: the request as the target must see it and the
/// response as the client must see it.
///
/// Hop-by-hop fields (RFC 9110 section 7.6.1: `Connection`, the fields it lists, `Keep-Alive`,
/// `Proxy-Connection`, `TE`, `Upgrade` outside an upgrade) are dropped; the request gains
/// `X-Forwarded-For`, `X-Forwarded-Proto`, `X-Forwarded-Port` and `X-Request-Id`. Field lines
/// are copied from the parsed buffer as they are (no re-encoding), so what the target sees is
/// exactly what was validated.
enum HeadRewriter {
    /// The most bytes `writeResponseHead` adds to a response head (`Connection: keep-alive`).
    static let addedResponseBytes = 64

    // MARK: Request

    /// Writes the request head for the target. Returns false when it does not fit in `out`.
    static func writeRequestHead(
        _ head: HTTPRequestHead, base: UnsafeRawBufferPointer, connection: ClientConnection, into out: IOBuffer
    ) -> Bool {
        var ok = out.append(slice(base, head.methodRange))
        ok = ok && out.append(" ")
        if head.targetForm == .absolute {
            // Targets get origin form: the path (and query) of an absolute-form target.
            let path = slice(base, head.targetPathRange)
            if path.first != UInt8(ascii: "/") { ok = ok && out.append("/") }
            ok = ok && out.append(path)
        } else {
            ok = ok && out.append(slice(base, head.targetRange))
        }
        ok = ok && out.append(" HTTP/1.1\r\n")
        var forwardedFor = false
        var requestID = false
        for field in head.fields where ok {
            switch field.kind {
            case .xForwardedProto, .xForwardedPort:
                continue
            case .upgrade:
                if !head.upgradeRequested { continue }
            case .xForwardedFor:
                forwardedFor = true
                continue
            case .xRequestID:
                requestID = true
            default:
                if isHopByHop(field) { continue }
            }
            ok = ok && writeField(field, base: base, into: out)
        }
        if head.hostFieldIndex == nil {
            // An HTTP/1.0 request without Host: the target still gets a valid HTTP/1.1 request.
            ok = ok && out.append("Host: ")
            ok = ok && out.append(ascii: connection.worker.targetHostText(group: connection.exchange.groupIndex, target: connection.exchange.targetIndex))
            ok = ok && out.append("\r\n")
        }
        ok = ok && out.append("X-Forwarded-For: ")
        if forwardedFor {
            for field in head.fields where field.kind == .xForwardedFor && ok {
                ok = ok && out.append(slice(base, field.valueRange))
                ok = ok && out.append(", ")
            }
        }
        ok = ok && connection.peerHost.withUnsafeBytes { out.append($0) }
        // Ends the X-Forwarded-For line and adds X-Forwarded-Proto and X-Forwarded-Port.
        ok = ok && connection.listener.forwardedHeaders.withUnsafeBytes { out.append($0) }
        if !requestID && ok {
            ok = connection.worker.appendRequestID(to: out)
        }
        if head.upgradeRequested {
            ok = ok && out.append("Connection: Upgrade\r\n")
        }
        ok = ok && out.append("\r\n")
        return ok
    }

    // MARK: Response

    /// Writes the final response head for the client. `dechunk`: the body is de-chunked for an
    /// HTTP/1.0 client (its `Transfer-Encoding` is dropped); `clientIsHTTP10`: keep-alive must
    /// be stated. (Two flags rather than the exchange: passing the exchange would copy it.)
    static func writeResponseHead(
        _ response: HTTPResponseHead, base: UnsafeRawBufferPointer, dechunk: Bool, clientIsHTTP10: Bool,
        keepAlive: Bool, into out: IOBuffer
    ) -> Bool {
        var ok = writeStatusLine(response, base: base, into: out)
        for field in response.fields where ok {
            switch field.kind {
            case .upgrade:
                if !response.isSwitchingProtocols { continue }
            case .transferEncoding:
                if dechunk { continue }
            default:
                if isHopByHop(field) { continue }
            }
            ok = ok && writeField(field, base: base, into: out)
        }
        if response.isSwitchingProtocols {
            ok = ok && out.append("Connection: Upgrade\r\n")
        } else if !keepAlive {
            ok = ok && out.append("Connection: close\r\n")
        } else if clientIsHTTP10 {
            ok = ok && out.append("Connection: keep-alive\r\n")
        }
        ok = ok && out.append("\r\n")
        return ok
    }

    /// Writes a 1xx head (other than 101) for the client, without hop-by-hop fields.
    static func writeInformationalHead(_ response: HTTPResponseHead, base: UnsafeRawBufferPointer, into out: IOBuffer) -> Bool {
        var ok = writeStatusLine(response, base: base, into: out)
        for field in response.fields where ok {
            if field.kind == .upgrade || isHopByHop(field) { continue }
            ok = ok && writeField(field, base: base, into: out)
        }
        return ok && out.append("\r\n")
    }

    // MARK: Pieces

    /// Whether a field is hop-by-hop (`Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`, or
    /// one that `Connection` lists), so never forwarded. `Upgrade` is decided by each head.
    @inline(__always)
    private static func isHopByHop(_ field: HTTPField) -> Bool {
        switch field.kind {
        case .connection, .keepAlive, .proxyConnection, .te: return true
        default: return field.isListedInConnection
        }
    }

    /// `HTTP/1.1` followed by the target's status code and reason phrase as sent.
    private static func writeStatusLine(_ response: HTTPResponseHead, base: UnsafeRawBufferPointer, into out: IOBuffer) -> Bool {
        let line = response.statusLineRange
        // "HTTP/1.x" is 8 bytes; what follows (" 200 OK") is kept verbatim.
        let rest = (line.lowerBound + 8)..<line.upperBound
        return out.append("HTTP/1.1") && out.append(slice(base, rest)) && out.append("\r\n")
    }

    /// `name: value` and CRLF, reserved and copied in one go (nothing is written when the line
    /// does not fit).
    @inline(__always)
    private static func writeField(_ field: HTTPField, base: UnsafeRawBufferPointer, into out: IOBuffer) -> Bool {
        let name = slice(base, field.nameRange)
        let value = slice(base, field.valueRange)
        let length = name.count &+ value.count &+ 4
        return out.append(count: length) { line in
            let valueStart = name.count &+ 2
            UnsafeMutableRawBufferPointer(rebasing: line[..<name.count]).copyMemory(from: name)
            line[name.count] = UInt8(ascii: ":")
            line[name.count &+ 1] = UInt8(ascii: " ")
            UnsafeMutableRawBufferPointer(rebasing: line[valueStart..<(valueStart &+ value.count)]).copyMemory(from: value)
            line[length &- 2] = UInt8(ascii: "\r")
            line[length &- 1] = UInt8(ascii: "\n")
        }
    }

    @inline(__always)
    private static func slice(_ base: UnsafeRawBufferPointer, _ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: base[range])
    }
}
