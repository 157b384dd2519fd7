//! Every supported operation behind one enum, for callers that pick the action at run time:
//! the wasm binding, the CLI, the console, the conformance adapter. `{"action": …, "params": …}`
//! in, a typed request and a typed [`Output`] out; each arm delegates to the [`Call`] impl.

use crate::error::{Error, ValidationErrors};
use crate::limits::Limits;
use crate::request::HttpRequest;
use crate::response;
use crate::vendor::{cdn, edgeone, esa, Call, Endpoint, Service};
use serde::{Deserialize, Serialize};

macro_rules! operations {
    ($($variant:ident => $ty:ty),* $(,)?) => {
        /// Any supported operation with its parameters.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        #[serde(tag = "action", content = "params")]
        pub enum Operation {
            $(
                #[doc = concat!("`", stringify!($variant), "`")]
                $variant($ty),
            )*
        }

        /// The typed answer of any operation.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        #[serde(tag = "action", content = "output")]
        pub enum Output {
            $(
                #[doc = concat!("Answer of `", stringify!($variant), "`")]
                $variant(<$ty as Call>::Output),
            )*
        }

        /// `(service, action)` of every supported operation.
        pub const OPERATIONS: &[(Service, &str)] = &[$((<$ty as Call>::SERVICE, <$ty as Call>::ACTION)),*];

        impl Operation {
            /// The service.
            pub fn service(&self) -> Service {
                match self { $(Operation::$variant(_) => <$ty as Call>::SERVICE,)* }
            }

            /// The action name.
            pub fn action(&self) -> &'static str {
                match self { $(Operation::$variant(_) => <$ty as Call>::ACTION,)* }
            }

            /// Runs the operation's validation.
            pub fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
                match self { $(Operation::$variant(p) => p.validate(limits),)* }
            }

            /// The unsigned request.
            pub fn build(&self, endpoint: &Endpoint) -> HttpRequest {
                match self { $(Operation::$variant(p) => p.build(endpoint),)* }
            }

            /// Parses the answer to this operation.
            pub fn parse_response(&self, status: u16, body: &[u8]) -> Result<Output, Error> {
                match self {
                    $(Operation::$variant(_) => response::parse::<$ty>(status, body).map(Output::$variant),)*
                }
            }

            /// The operation `action` of `service` with `params` (vendor field names).
            pub fn from_parts(service: Service, action: &str, params: serde_json::Value) -> Result<Operation, Error> {
                $(
                    if <$ty as Call>::SERVICE == service && <$ty as Call>::ACTION == action {
                        let params = if params.is_null() { serde_json::json!({}) } else { params };
                        return serde_json::from_value::<$ty>(params)
                            .map(Operation::$variant)
                            .map_err(|e| Error::Params { action: action.to_string(), reason: e.to_string() });
                    }
                )*
                Err(Error::UnknownAction { service: service.name().to_string(), action: action.to_string() })
            }
        }
    };
}

operations! {
    CreatePrefetchTask => edgeone::CreatePrefetchTask,
    DescribePrefetchTasks => edgeone::DescribePrefetchTasks,
    CreatePurgeTask => edgeone::CreatePurgeTask,
    DescribePurgeTasks => edgeone::DescribePurgeTasks,
    DescribeContentQuota => edgeone::DescribeContentQuota,
    PushUrlsCache => cdn::PushUrlsCache,
    DescribePushTasks => cdn::DescribePushTasks,
    DescribePushQuota => cdn::DescribePushQuota,
    CreateScheduledPreloadJob => esa::CreateScheduledPreloadJob,
    ResetScheduledPreloadJob => esa::ResetScheduledPreloadJob,
    GetScheduledPreloadJob => esa::GetScheduledPreloadJob,
    ListScheduledPreloadJobs => esa::ListScheduledPreloadJobs,
    DeleteScheduledPreloadJob => esa::DeleteScheduledPreloadJob,
    CreateScheduledPreloadExecutions => esa::CreateScheduledPreloadExecutions,
    ListScheduledPreloadExecutions => esa::ListScheduledPreloadExecutions,
    UpdateScheduledPreloadExecution => esa::UpdateScheduledPreloadExecution,
    StartScheduledPreloadExecution => esa::StartScheduledPreloadExecution,
    StopScheduledPreloadExecution => esa::StopScheduledPreloadExecution,
    DeleteScheduledPreloadExecution => esa::DeleteScheduledPreloadExecution,
    PreloadCaches => esa::PreloadCaches,
    DescribePreloadTasks => esa::DescribePreloadTasks,
    PurgeCaches => esa::PurgeCaches,
}
