//! The byte format of the `emulator_http` target's inputs: a sequence of
//! HTTP requests with any method, path, headers and body, and the caller
//! (either of two accounts, a token without the permission, an unknown
//! token, or none). [`encode`] writes the seeds; [`decode`] reads inputs.
//!
//! Per request: method (1 byte, an index), caller (1), content type (1),
//! extra header count (1) then per header name length (1), name, value
//! length (1), value; path length (1), path; body length (2, big-endian),
//! body. A truncated request ends the sequence.

/// Methods an input can use; the last is not one HTTP defines.
pub const METHODS: [&str; 9] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND",
];

/// `Content-Type` values an input can send (`None`: no header).
pub const CONTENT_TYPES: [Option<&str>; 5] = [
    Some("application/json"),
    None,
    Some("text/plain"),
    Some("application/json; charset=utf-8"),
    Some("APPLICATION/JSON"),
];

/// At most this many requests per input: keeps one input's run short.
pub const MAX_REQUESTS: usize = 32;

/// Who sends a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The first account's API token.
    AccountA,
    /// The second account's API token.
    AccountB,
    /// A known API token without the shared-tokens permission.
    NoPermission,
    /// A token the emulator does not know.
    Unknown,
    /// No `X-API-TOKEN` header.
    Nobody,
}

const CALLERS: [Caller; 5] = [
    Caller::AccountA,
    Caller::AccountB,
    Caller::NoPermission,
    Caller::Unknown,
    Caller::Nobody,
];

/// One request of a sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptedRequest {
    /// Index into [`METHODS`].
    pub method: u8,
    /// Who sends it.
    pub caller: Caller,
    /// Index into [`CONTENT_TYPES`].
    pub content_type: u8,
    /// Extra headers, as bytes (invalid ones are not sent).
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// The path and query, as bytes (at most 255).
    pub path: Vec<u8>,
    /// The body (at most 65 535 bytes).
    pub body: Vec<u8>,
}

impl ScriptedRequest {
    /// A request by `caller` with a JSON content type and no extra header.
    pub fn new(method: &str, caller: Caller, path: &str, body: &str) -> Self {
        let method = METHODS.iter().position(|m| *m == method).unwrap_or(0);
        Self {
            method: u8::try_from(method).unwrap_or(0),
            caller,
            content_type: 0,
            headers: Vec::new(),
            path: path.as_bytes().to_vec(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// The method's name.
    pub fn method_name(&self) -> &'static str {
        METHODS[usize::from(self.method) % METHODS.len()]
    }

    /// The `Content-Type` sent, if any.
    pub fn content_type_value(&self) -> Option<&'static str> {
        CONTENT_TYPES[usize::from(self.content_type) % CONTENT_TYPES.len()]
    }
}

/// Reads a sequence; bytes past the last whole request are ignored.
pub fn decode(data: &[u8]) -> Vec<ScriptedRequest> {
    let mut reader = Reader(data);
    let mut requests = Vec::new();
    while requests.len() < MAX_REQUESTS {
        match reader.request() {
            Some(request) => requests.push(request),
            None => break,
        }
    }
    requests
}

/// Writes a sequence (fields longer than the format allows are cut).
pub fn encode(requests: &[ScriptedRequest]) -> Vec<u8> {
    let mut out = Vec::new();
    for request in requests {
        let caller = CALLERS.iter().position(|c| *c == request.caller);
        out.push(request.method);
        out.push(u8::try_from(caller.unwrap_or(0)).unwrap_or(0));
        out.push(request.content_type);
        let headers = &request.headers[..request.headers.len().min(3)];
        out.push(u8::try_from(headers.len()).unwrap_or(0));
        for (name, value) in headers {
            short_field(&mut out, name);
            short_field(&mut out, value);
        }
        short_field(&mut out, &request.path);
        let body = &request.body[..request.body.len().min(usize::from(u16::MAX))];
        out.extend(u16::try_from(body.len()).unwrap_or(0).to_be_bytes());
        out.extend(body);
    }
    out
}

fn short_field(out: &mut Vec<u8>, bytes: &[u8]) {
    let bytes = &bytes[..bytes.len().min(255)];
    out.push(u8::try_from(bytes.len()).unwrap_or(0));
    out.extend(bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }

    fn bytes(&mut self, length: usize) -> Option<&'a [u8]> {
        if self.0.len() < length {
            return None;
        }
        let (taken, rest) = self.0.split_at(length);
        self.0 = rest;
        Some(taken)
    }

    fn short_field(&mut self) -> Option<Vec<u8>> {
        let length = self.byte()?;
        Some(self.bytes(usize::from(length))?.to_vec())
    }

    fn request(&mut self) -> Option<ScriptedRequest> {
        let method = self.byte()?;
        let caller = CALLERS[usize::from(self.byte()?) % CALLERS.len()];
        let content_type = self.byte()?;
        let mut headers = Vec::new();
        for _ in 0..self.byte()? % 4 {
            headers.push((self.short_field()?, self.short_field()?));
        }
        let path = self.short_field()?;
        let body_length = u16::from_be_bytes([self.byte()?, self.byte()?]);
        let body = self.bytes(usize::from(body_length))?.to_vec();
        Some(ScriptedRequest {
            method,
            caller,
            content_type,
            headers,
            path,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sequence_reads_back_as_written() {
        let mut odd = ScriptedRequest::new("PATCH", Caller::Nobody, "/x?y=1", "{");
        odd.headers.push((b"x-extra".to_vec(), b"\xff".to_vec()));
        odd.content_type = 2;
        let requests = vec![
            ScriptedRequest::new("POST", Caller::AccountB, "/v1/shared-tokens", "{}"),
            odd,
        ];
        assert_eq!(decode(&encode(&requests)), requests);
    }
}
