//! [`Client::call`]: any operation of the spec, as an [`OperationRequest`],
//! with JSON in and out. It is how an operation added to `swagger.json` is usable
//! the day it lands, before it has a typed method; it takes the same request
//! path as every typed call (limit, retries, redaction, errors).

use logzio_shared_tokens_api::OperationRequest;

use crate::Error;
use crate::client::Client;
use crate::error::InputField;

impl Client {
    /// Sends a request for any operation of the spec, including one without
    /// a typed method yet, and returns the answer's JSON (`null` for an empty
    /// body). It takes the same request path as every typed call: limit,
    /// retries, redaction, and answers mapped to [`Error`]. A missing, unknown
    /// or repeated path parameter is [`Error::InvalidInput`] (field
    /// [`InputField::Request`]) before anything is sent.
    ///
    /// ```no_run
    /// # async fn run(client: logzio_shared_tokens::Client) -> Result<(), logzio_shared_tokens::Error> {
    /// use logzio_shared_tokens::OperationRequest;
    /// use logzio_shared_tokens::api::operations::Operation;
    /// let token = client
    ///     .call(OperationRequest::new(Operation::GetToken).path_parameter("id", "42"))
    ///     .await?;
    /// println!("{}", token["name"]);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, request: OperationRequest) -> Result<serde_json::Value, Error> {
        request
            .filled_path()
            .map_err(|reason| Error::invalid(InputField::Request, reason))?;
        let call = self.begin_call(request.operation());
        let outcome = call.api().send_operation(request).await;
        call.finish(outcome).await
    }
}

/// Masks, in place, every string under a property the spec declares secret
/// ([`SECRET_PROPERTIES`](logzio_shared_tokens_api::operations::SECRET_PROPERTIES):
/// the shared token value) the way [`SharedTokenValue::masked`](crate::SharedTokenValue::masked)
/// does, at any depth: for showing a [`Client::call`] answer.
pub fn mask_secret_properties(value: &mut serde_json::Value) {
    use logzio_shared_tokens_api::operations::SECRET_PROPERTIES;
    use serde_json::Value;
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                match field {
                    Value::String(text) if SECRET_PROPERTIES.contains(&name.as_str()) => {
                        *text = crate::SharedTokenValue::new(std::mem::take(text)).masked();
                    }
                    other => mask_secret_properties(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secret_properties),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secret_properties_are_masked_at_any_depth_and_nothing_else() {
        let mut answer = json!([
            {"id": 1, "name": "token", "token": "0123456789abcdef-tail"},
            {"nested": {"token": "abcdefgh-1234"}, "token": null}
        ]);
        mask_secret_properties(&mut answer);
        let text = answer.to_string();
        assert!(!text.contains("0123456789abcdef"), "{text}");
        assert!(!text.contains("abcdefgh"), "{text}");
        assert_eq!(answer[0]["name"], "token");
        assert_eq!(answer[1]["token"], serde_json::Value::Null);
    }
}
