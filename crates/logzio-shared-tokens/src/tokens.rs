//! Shared-token operations: `client.tokens().…`, one spec operation per
//! method, returning the generated types; nothing here re-declares a request
//! or response shape. It must never log or format a token value.
//!
//! The calls made of several operations live below, each with its builder
//! and its entry method on [`Tokens`]: [`ensure`] (get-or-create by name),
//! [`modify`] (a partial update) and [`rotate`]. They use this module;
//! it uses none of them.

use std::borrow::Borrow;

use logzio_shared_tokens_api::types::{
    CreateSharedTokenRequest, CreateSharedTokenRequestTokenName, FiltersOperator, SharedToken,
    UpdateSharedTokenRequest,
};

use logzio_shared_tokens_api::operations::Operation;

use crate::client::Client;
use crate::client::awaitable_by_send;
use crate::ext::SharedTokenExt;
use crate::matching::{only_token_named, token_named};
use crate::{Error, OpenEnum};

pub(crate) mod ensure;
pub(crate) mod modify;
pub(crate) mod rotate;

impl Client {
    /// Shared tokens: list, get, create, update, delete, find and get-or-create by name.
    /// Holds a clone of this client (cheap), so its calls can be spawned:
    /// `tokio::spawn(client.tokens().create("bg").send())`, or
    /// `.into_future()` in place of `.send()`.
    pub fn tokens(&self) -> Tokens {
        Tokens {
            client: self.clone(),
        }
    }
}

/// The shared tokens of the client's account. Get one with [`Client::tokens`].
#[derive(Clone, Debug)]
pub struct Tokens {
    client: Client,
}

impl Tokens {
    /// Every shared token of the account (`getAllTokens`).
    pub async fn list(&self) -> Result<Vec<SharedToken>, Error> {
        let call = self.client.begin_call(Operation::GetAllTokens);
        let outcome = call.api().get_all_tokens().send().await;
        call.finish(outcome).await
    }

    /// One shared token (`getToken`); [`Error::NotFound`] if there is none with this id.
    pub async fn get(&self, id: i32) -> Result<SharedToken, Error> {
        let call = self.client.begin_call(Operation::GetToken);
        let outcome = call.api().get_token().id(id).send().await;
        call.finish(outcome).await
    }

    /// Starts creating a token named `name` (`createToken`); add filters with
    /// [`CreateToken::filter`] / [`CreateToken::filters`] (they accumulate)
    /// and an operator, then `.send().await` (or just `.await`).
    /// Without a filter the token can read every log of the account.
    pub fn create(&self, name: impl Into<String>) -> CreateToken {
        CreateToken {
            client: self.client.clone(),
            name: name.into(),
            filters: Vec::new(),
            operator: None,
        }
    }

    /// Starts replacing the filters of token `id` (`updateToken`): the token
    /// ends with exactly `filters` plus any added with [`UpdateToken::filter`]
    /// or [`UpdateToken::filters`]; an empty list (`Vec::<i32>::new()`)
    /// removes every filter (the token can then read every log of the
    /// account). Accepts `i32`s or
    /// references to them, e.g. `token.filter_ids()`. Optionally set the
    /// operator, then `.send().await`.
    pub fn update(
        &self,
        id: i32,
        filters: impl IntoIterator<Item = impl Borrow<i32>>,
    ) -> UpdateToken {
        let mut ids = Vec::new();
        add_filter_ids(&mut ids, filters);
        UpdateToken {
            client: self.client.clone(),
            id,
            filters: ids,
            operator: None,
        }
    }

    /// Deletes token `id` (`deleteToken`); dashboards shared with it stop working.
    pub async fn delete(&self, id: i32) -> Result<(), Error> {
        let call = self.client.begin_call(Operation::DeleteToken);
        let outcome = call.api().delete_token().id(id).send().await;
        call.finish(outcome).await
    }

    /// The token named exactly `name`, if any: the lowest id when several
    /// share the name ([`crate::matching::token_named`]). Lists all tokens:
    /// one request.
    pub async fn find_by_name(&self, name: &str) -> Result<Option<SharedToken>, Error> {
        let tokens = self.list().await?;
        Ok(token_named(&tokens, name).cloned())
    }

    /// The one token named exactly `name` ([`crate::matching::only_token_named`]):
    /// [`Error::NotFound`] when none is, [`Error::AmbiguousTokenName`] when
    /// several are (Logz.io does not document names as unique). For acting on the
    /// token a person named; [`Self::find_by_name`] picks the lowest id
    /// instead. Lists all tokens: one request.
    pub async fn get_by_name(&self, name: &str) -> Result<SharedToken, Error> {
        let tokens = self.list().await?;
        only_token_named(&tokens, name).cloned()
    }

    /// `token`'s operator, for a call that must send it back unchanged (a
    /// partial update without an operator, a rotation): [`Error::UnknownOperator`]
    /// when it is one this client cannot send.
    pub(crate) fn sendable_operator(&self, token: &SharedToken) -> Result<FiltersOperator, Error> {
        match token.operator() {
            OpenEnum::Known(operator) => Ok(operator),
            OpenEnum::Unknown(operator) => Err(Error::UnknownOperator {
                id: token.id,
                operator: self.client.redactor().redact(&operator),
            }),
        }
    }
}

/// Adds `ids` to `list`, keeping the first order and dropping duplicates
/// (the spec says `uniqueItems`).
pub(crate) fn add_filter_ids(list: &mut Vec<i32>, ids: impl IntoIterator<Item = impl Borrow<i32>>) {
    for id in ids {
        let id = *id.borrow();
        if !list.contains(&id) {
            list.push(id);
        }
    }
}

/// `.filter`, `.filters` and `.set_filters` for a builder holding a list of
/// filter ids, documented once.
macro_rules! filter_list_methods {
    ($builder:ty, $($list:ident).+) => {
        impl $builder {
            /// Adds filter `id` to the filters already given (a duplicate is
            /// dropped).
            pub fn filter(mut self, id: i32) -> Self {
                $crate::tokens::add_filter_ids(&mut self.$($list).+, [id]);
                self
            }

            /// Adds the filters `ids` to those already given: `.filters([a, b])`,
            /// `.filters(&ids)`, `.filters(token.filter_ids())`. Calls
            /// accumulate, so two calls restrict the token by both lists
            /// (duplicates are dropped).
            pub fn filters(
                mut self,
                ids: impl IntoIterator<Item = impl ::std::borrow::Borrow<i32>>,
            ) -> Self {
                $crate::tokens::add_filter_ids(&mut self.$($list).+, ids);
                self
            }

            /// Replaces every filter given so far by `ids`: the only method
            /// that removes filters from the list being built. An empty list
            /// means a token that can read every log of the account.
            pub fn set_filters(
                mut self,
                ids: impl IntoIterator<Item = impl ::std::borrow::Borrow<i32>>,
            ) -> Self {
                self.$($list).+.clear();
                $crate::tokens::add_filter_ids(&mut self.$($list).+, ids);
                self
            }
        }
    };
}

pub(crate) use filter_list_methods;

/// A `createToken` call being built: see [`Tokens::create`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct CreateToken {
    pub(crate) client: Client,
    pub(crate) name: String,
    pub(crate) filters: Vec<i32>,
    pub(crate) operator: Option<FiltersOperator>,
}

filter_list_methods!(CreateToken, filters);

impl CreateToken {
    /// How the filters combine. When not set, none is sent and the server
    /// decides (Logz.io documents no default; the emulator uses `OR`).
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.operator = Some(operator);
        self
    }

    pub(crate) fn body(&self) -> Result<CreateSharedTokenRequest, Error> {
        let token_name = CreateSharedTokenRequestTokenName::try_from(self.name.as_str())
            .map_err(|error| Error::invalid(crate::InputField::TokenName, error.to_string()))?;
        CreateSharedTokenRequest::builder()
            .token_name(token_name)
            .filters((!self.filters.is_empty()).then(|| self.filters.clone()))
            .filters_operator(self.operator)
            .try_into()
            .map_err(Error::unbuildable_body)
    }

    /// Sends the request. Retried only when the server answered 503 or 429;
    /// after a timeout the token may or may not exist (see [`crate::RetryPolicy`]).
    pub async fn send(self) -> Result<SharedToken, Error> {
        let body = self.body()?;
        let call = self.client.begin_call(Operation::CreateToken);
        let outcome = call.api().create_token().body(body).send().await;
        call.finish(outcome).await
    }
}

awaitable_by_send!(CreateToken => SharedToken);

/// An `updateToken` call being built: see [`Tokens::update`].
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until `.send().await`"]
pub struct UpdateToken {
    client: Client,
    id: i32,
    filters: Vec<i32>,
    operator: Option<FiltersOperator>,
}

filter_list_methods!(UpdateToken, filters);

impl UpdateToken {
    /// How the filters combine; unchanged when not set.
    pub fn operator(mut self, operator: FiltersOperator) -> Self {
        self.operator = Some(operator);
        self
    }

    /// Sends the request (idempotent: retried on every retryable failure).
    pub async fn send(self) -> Result<SharedToken, Error> {
        let body: UpdateSharedTokenRequest = UpdateSharedTokenRequest::builder()
            .filters(self.filters)
            .filters_operator(self.operator)
            .try_into()
            .map_err(Error::unbuildable_body)?;
        let id = self.id;
        let call = self.client.begin_call(Operation::UpdateToken);
        let outcome = call.api().update_token().id(id).body(body).send().await;
        call.finish(outcome).await
    }
}

awaitable_by_send!(UpdateToken => SharedToken);
