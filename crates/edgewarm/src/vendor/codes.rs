//! Every vendor error code edgewarm knows, classified once: what kind of failure it is
//! ([`ErrorClass`]), whether the same call may succeed if sent again, and a plain hint for
//! people. The codes come from the vendors' pages: the Tencent Cloud API 3.0 common error codes
//! and each teo / cdn API page's error list (with tencentcloud-sdk-go's `errors.go`), the Alibaba
//! Cloud common (gateway) error codes ("管控OpenAPI的客户端公用错误码") and each ESA 2024-09-10 API
//! page's error codes. Unknown codes fall back by prefix, then by HTTP status.

use crate::error::ErrorClass;
use serde::{Deserialize, Serialize};

/// Which cloud's code space a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Tencent Cloud (EdgeOne, CDN).
    Tencent,
    /// Alibaba Cloud (ESA).
    Alibaba,
}

/// One documented code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The code, e.g. `LimitExceeded.DailyQuota`.
    pub code: &'static str,
    /// Kind of failure.
    pub class: ErrorClass,
    /// Whether sending the call again (re-signed) may succeed.
    pub retryable: bool,
    /// What it means and what to do next.
    pub hint: &'static str,
}

const fn code(
    code: &'static str,
    class: ErrorClass,
    retryable: bool,
    hint: &'static str,
) -> CodeInfo {
    CodeInfo {
        code,
        class,
        retryable,
        hint,
    }
}

/// Tencent codes (common, EdgeOne, CDN), sorted by code.
pub const TENCENT_CODES: &[CodeInfo] = &[
    code("ActionOffline", ErrorClass::Invalid, false, "The API was taken offline. Use its documented replacement."),
    code("AuthFailure", ErrorClass::Auth, false, "Authentication failed. Check the SecretId, SecretKey and signature."),
    code("AuthFailure.InvalidAuthorization", ErrorClass::Auth, false, "The Authorization header is malformed. Re-sign the request with TC3-HMAC-SHA256."),
    code("AuthFailure.InvalidSecretId", ErrorClass::Auth, false, "The SecretId is not a Tencent Cloud API key. Use a key from the CAM console."),
    code("AuthFailure.MFAFailure", ErrorClass::Auth, false, "MFA verification failed. Complete MFA for this key or use another key."),
    code("AuthFailure.MissingAuthorization", ErrorClass::Auth, false, "The request carries no Authorization header. Sign the request."),
    code("AuthFailure.SecretIdNotFound", ErrorClass::Auth, false, "The SecretId does not exist or is disabled. Check the key (and stray spaces around it)."),
    code("AuthFailure.SignatureExpire", ErrorClass::Auth, true, "The request time differs from the server's by more than 5 minutes. Sync the clock (NTP) and re-sign."),
    code("AuthFailure.SignatureFailure", ErrorClass::Auth, false, "The signature does not match. Check the SecretKey and that the signed bytes are the sent bytes."),
    code("AuthFailure.TokenFailure", ErrorClass::Auth, false, "The STS token is invalid or expired. Fetch new temporary credentials."),
    code("AuthFailure.UnauthorizedOperation", ErrorClass::Auth, false, "The key is not authorised for this action. Grant the CAM permission."),
    code("DryRunOperation", ErrorClass::Invalid, false, "A dry-run request: nothing was done."),
    code("FailedOperation", ErrorClass::Server, false, "The operation failed on the server. Check the message; retrying rarely helps."),
    code("InternalError", ErrorClass::Server, true, "An internal error on Tencent Cloud. Retry later."),
    code("InternalError.BackendError", ErrorClass::Server, true, "EdgeOne backend error. Retry later."),
    code("InternalError.CamSystemError", ErrorClass::Server, true, "CAM system error. Retry later."),
    code("InternalError.CdnConfigError", ErrorClass::Server, true, "CDN configuration system error. Retry later."),
    code("InternalError.CdnDbError", ErrorClass::Server, true, "CDN database error. Retry later."),
    code("InternalError.CdnQuerySystemError", ErrorClass::Server, true, "CDN query system error. Retry later."),
    code("InternalError.CdnSystemError", ErrorClass::Server, true, "CDN system error. Retry later."),
    code("InternalError.DomainConfig", ErrorClass::Server, true, "EdgeOne could not read the domain configuration. Retry later."),
    code("InternalError.Error", ErrorClass::Server, true, "CDN internal error. Retry later."),
    code("InternalError.FailedToGenerateUrl", ErrorClass::Server, true, "EdgeOne could not generate an upload link. Retry later."),
    code("InternalError.ProxyServer", ErrorClass::Server, true, "EdgeOne proxy server error. Retry later."),
    code("InternalError.QuotaSystem", ErrorClass::Server, true, "EdgeOne quota system error. Retry later."),
    code("InternalError.RouteError", ErrorClass::Server, true, "CDN routing error. Retry later."),
    code("InvalidAction", ErrorClass::Invalid, false, "The action does not exist for this service and version. Check the endpoint and action name."),
    code("InvalidParameter", ErrorClass::Invalid, false, "A parameter is wrong. The message says which one: fix it."),
    code("InvalidParameter.CdnHostInvalidMiddleConfig", ErrorClass::Invalid, false, "The domain's middle-tier configuration is invalid."),
    code("InvalidParameter.CdnHostInvalidParam", ErrorClass::Invalid, false, "The domain name is not valid."),
    code("InvalidParameter.CdnHostInvalidStatus", ErrorClass::Conflict, false, "The domain is in a state that forbids this operation."),
    code("InvalidParameter.CdnInterfaceError", ErrorClass::Server, true, "CDN interface error. Retry later."),
    code("InvalidParameter.CdnParamError", ErrorClass::Invalid, false, "A parameter is wrong; compare with the documented examples."),
    code("InvalidParameter.CdnPurgeWildcardNotAllowed", ErrorClass::Invalid, false, "Purging wildcard domains is not supported. List real host names."),
    code("InvalidParameter.CdnPushWildcardNotAllowed", ErrorClass::Invalid, false, "Prefetching wildcard domains is not supported. List real host names."),
    code("InvalidParameter.CdnStatInvalidDate", ErrorClass::Invalid, false, "The date is invalid."),
    code("InvalidParameter.CdnStatInvalidMetric", ErrorClass::Invalid, false, "The statistics metric is invalid. Use one of the documented metric names."),
    code("InvalidParameter.CdnStatInvalidProjectId", ErrorClass::Invalid, false, "The project id is invalid."),
    code("InvalidParameter.CdnUrlExceedLength", ErrorClass::Invalid, false, "A URL is longer than allowed. Shorten it."),
    code("InvalidParameter.DomainNotFound", ErrorClass::NotFound, false, "The domain does not exist or is not in this account. Check the URL hosts against the zone."),
    code("InvalidParameter.ParameterError", ErrorClass::Invalid, false, "A parameter is wrong (for Describe calls: the window is at most 7 days). Fix it."),
    code("InvalidParameter.Target", ErrorClass::Invalid, false, "A target is malformed. Check the URLs."),
    code("InvalidParameter.TaskNotGenerated", ErrorClass::Invalid, false, "The task could not be generated. Check the targets."),
    code("InvalidParameter.UploadUrl", ErrorClass::Invalid, false, "The file upload link is wrong."),
    code("InvalidParameterValue", ErrorClass::Invalid, false, "A parameter value is invalid. The message says which one: fix it."),
    code("InvalidRequest", ErrorClass::Invalid, false, "The request body is malformed. Check the body encoding."),
    code("IpInBlacklist", ErrorClass::Auth, false, "The caller's IP is blacklisted."),
    code("IpNotInWhitelist", ErrorClass::Auth, false, "The caller's IP is not on the key's allowlist. Add it in the CAM console."),
    code("LimitExceeded", ErrorClass::Quota, false, "A quota or limit was exceeded. Reduce the batch or wait for the quota to reset."),
    code("LimitExceeded.BatchQuota", ErrorClass::Quota, false, "More targets than one call accepts. Split the batch (see DescribeContentQuota Batch)."),
    code("LimitExceeded.CdnHostOpTooOften", ErrorClass::Throttled, true, "The domain is operated on too often. Slow down and retry."),
    code("LimitExceeded.CdnPurgeExceedBatchLimit", ErrorClass::Quota, false, "More purge items than one call accepts. Split the batch."),
    code("LimitExceeded.CdnPurgeExceedDayLimit", ErrorClass::Quota, false, "Today's purge quota is used up. Wait for the daily reset."),
    code("LimitExceeded.CdnPurgePathExceedBatchLimit", ErrorClass::Quota, false, "More paths than one call accepts. Split the batch."),
    code("LimitExceeded.CdnPurgePathExceedDayLimit", ErrorClass::Quota, false, "Today's path purge quota is used up. Wait for the daily reset."),
    code("LimitExceeded.CdnPurgeUrlExceedBatchLimit", ErrorClass::Quota, false, "More URLs than one purge call accepts. Split the batch."),
    code("LimitExceeded.CdnPurgeUrlExceedDayLimit", ErrorClass::Quota, false, "Today's URL purge quota is used up. Wait for the daily reset."),
    code("LimitExceeded.CdnPushExceedBatchLimit", ErrorClass::Quota, false, "More URLs than one PushUrlsCache call accepts (default 500). Split the batch."),
    code("LimitExceeded.CdnPushExceedDayLimit", ErrorClass::Quota, false, "Today's prefetch quota is used up (see DescribePushQuota). Wait for the daily reset."),
    code("LimitExceeded.DailyQuota", ErrorClass::Quota, false, "Today's quota is used up. Wait for the daily reset (see DescribeContentQuota)."),
    code("LimitExceeded.PackNotAllow", ErrorClass::Quota, false, "The billing plan does not include this feature."),
    code("LimitExceeded.RateLimitExceeded", ErrorClass::Throttled, true, "Request rate exceeded. Lower the parallelism and retry."),
    code("MissingParameter", ErrorClass::Invalid, false, "A required parameter is missing. Add it."),
    code("NoSuchProduct", ErrorClass::Invalid, false, "The product does not exist. Check the endpoint host."),
    code("NoSuchVersion", ErrorClass::Invalid, false, "The API version does not exist for this service. Check the endpoint host and version."),
    code("OperationDenied", ErrorClass::Auth, false, "The operation was denied. Check permissions and the zone's state."),
    code("RequestLimitExceeded", ErrorClass::Throttled, true, "Too many requests per second. Slow down and retry."),
    code("RequestLimitExceeded.GlobalRegionUinLimitExceeded", ErrorClass::Throttled, true, "The account's global request rate was exceeded. Slow down and retry."),
    code("RequestLimitExceeded.IPLimitExceeded", ErrorClass::Throttled, true, "The IP's request rate was exceeded. Slow down and retry."),
    code("RequestLimitExceeded.UinLimitExceeded", ErrorClass::Throttled, true, "The account's request rate was exceeded. Slow down and retry."),
    code("RequestSizeLimitExceeded", ErrorClass::Invalid, false, "The request is too large. Send fewer items per call."),
    code("ResourceInUse", ErrorClass::Conflict, false, "The resource is in use. Wait and retry later."),
    code("ResourceInUse.CdnOpInProgress", ErrorClass::Conflict, true, "Another operation on the domain is in progress. Retry when it ends."),
    code("ResourceInsufficient", ErrorClass::Quota, false, "Resources are insufficient."),
    code("ResourceNotFound", ErrorClass::NotFound, false, "The resource does not exist. Check the id."),
    code("ResourceNotFound.CdnHostNotExists", ErrorClass::NotFound, false, "The domain is not in this account's CDN. Check the URL hosts."),
    code("ResourceNotFound.CdnUserNotExists", ErrorClass::NotFound, false, "CDN is not activated for this account. Activate it in the console."),
    code("ResourceUnavailable", ErrorClass::Conflict, false, "The resource is unavailable in its current state."),
    code("ResourceUnavailable.CdnHostIsLocked", ErrorClass::Conflict, false, "The domain is locked. Unlock it before prefetching."),
    code("ResourceUnavailable.CdnHostIsNotOnline", ErrorClass::Conflict, false, "The domain is offline and cannot be prefetched. Bring it online."),
    code("ResponseSizeLimitExceeded", ErrorClass::Invalid, false, "The answer would be too large. Narrow the query or page it."),
    code("ServiceUnavailable", ErrorClass::Server, true, "The service is temporarily unavailable. Retry later."),
    code("UnauthorizedOperation", ErrorClass::Auth, false, "Not authorised. Grant the CAM permission for this action."),
    code("UnauthorizedOperation.CamUnauthorized", ErrorClass::Auth, false, "CAM has not authorised this action. Grant the permission."),
    code("UnauthorizedOperation.CdnCamUnauthorized", ErrorClass::Auth, false, "CAM has not authorised this CDN action. Grant the permission."),
    code("UnauthorizedOperation.CdnHostUnauthorized", ErrorClass::Auth, false, "The sub-account may not operate on this domain."),
    code("UnauthorizedOperation.CdnUserAuthFail", ErrorClass::Auth, false, "CDN identity verification failed. Complete it in the console."),
    code("UnauthorizedOperation.CdnUserAuthWait", ErrorClass::Auth, false, "CDN identity verification is pending."),
    code("UnauthorizedOperation.CdnUserIsSuspended", ErrorClass::Auth, false, "The CDN service is suspended. Re-activate it."),
    code("UnauthorizedOperation.CdnUserNoWhitelist", ErrorClass::Auth, false, "The account is not on the feature's whitelist."),
    code("UnauthorizedOperation.DomainEmpty", ErrorClass::Auth, false, "Authentication error: no domain is authorised."),
    code("UnauthorizedOperation.EcdnMigratedCdn", ErrorClass::Auth, false, "The domain was migrated from ECDN to CDN; use the CDN API."),
    code("UnauthorizedOperation.NoPermission", ErrorClass::Auth, false, "The sub-account lacks the permission. Add it and retry."),
    code("UnauthorizedOperation.OpNoAuth", ErrorClass::Auth, false, "No permission for this operation."),
    code("UnauthorizedOperation.OperationTooOften", ErrorClass::Throttled, true, "Calls exceed the frequency limit. Slow down and retry."),
    code("UnauthorizedOperation.Unknown", ErrorClass::Server, true, "An unknown backend error during authorisation. Retry later."),
    code("UnknownParameter", ErrorClass::Invalid, false, "An undefined parameter was sent. Remove it."),
    code("UnsupportedOperation", ErrorClass::Invalid, false, "The operation is not supported in this state or plan."),
    code("UnsupportedProtocol", ErrorClass::Invalid, false, "Only GET and POST over HTTPS are supported."),
    code("UnsupportedRegion", ErrorClass::Invalid, false, "The region is not supported by this API."),
];

/// Alibaba codes (gateway, ESA), sorted by code.
pub const ALIBABA_CODES: &[CodeInfo] = &[
    code("DomainNameOverLimit", ErrorClass::Invalid, false, "ESA PreloadCaches: the URLs span too many domains (at most 500 per request). Split the batch into calls over fewer domains."),
    code("Forbidden.RAM", ErrorClass::Auth, false, "The RAM user is not authorised for this action. Grant the permission."),
    code("IncompleteSignature", ErrorClass::Auth, false, "The signature is incomplete or malformed. Re-sign with ACS3-HMAC-SHA256."),
    code("InternalError", ErrorClass::Server, true, "An internal error on Alibaba Cloud. Retry later."),
    code("InvalidAccessKeyId.Inactive", ErrorClass::Auth, false, "The AccessKey is disabled. Enable it or use another."),
    code("InvalidAccessKeyId.NotFound", ErrorClass::Auth, false, "The AccessKey ID does not exist. Check it (and stray spaces)."),
    code("InvalidApi.NotFound", ErrorClass::Invalid, false, "The API does not exist; check the action, version, method and endpoint."),
    code("InvalidEndTime.Mismatch", ErrorClass::Invalid, false, "EndTime is earlier than StartTime. Fix the plan times."),
    code("InvalidExecution.NotFound", ErrorClass::NotFound, false, "The execution plan does not exist. Check the plan id."),
    code("InvalidJob.JobCountOfSiteFull", ErrorClass::Conflict, false, "The site has the maximum number of scheduled jobs. Delete unwanted jobs and retry."),
    code("InvalidJob.NotFound", ErrorClass::NotFound, false, "The scheduled job does not exist or was deleted. Check the job id."),
    code("InvalidParameter", ErrorClass::Invalid, false, "A parameter is invalid. The message says which one: fix it."),
    code("InvalidParameter.Format", ErrorClass::Invalid, false, "A parameter is not well formatted."),
    code("InvalidParameter.ObjectId", ErrorClass::Invalid, false, "The job id or plan id is invalid."),
    code("InvalidParameter.RecordNotBelongToSite", ErrorClass::NotFound, false, "A URL's host is not a proxied record of the site. Check the site id and the URL hosts."),
    code("InvalidSecurityToken.Expired", ErrorClass::Auth, false, "The STS token has expired. Fetch new temporary credentials."),
    code("InvalidSecurityToken.Malformed", ErrorClass::Auth, false, "The STS token is malformed."),
    code("InvalidSecurityToken.MismatchWithAccessKey", ErrorClass::Auth, false, "The STS token does not belong to this AccessKey."),
    code("InvalidSignatureMethod", ErrorClass::Auth, false, "The signature method is not supported. Use ACS3-HMAC-SHA256."),
    code("InvalidTime", ErrorClass::Invalid, false, "ESA DescribePreloadTasks: the time is invalid; StartTime may reach back at most 3 days and EndTime must be later. Narrow the window or look up single URLs by Content."),
    code("InvalidTimeStamp.Expired", ErrorClass::Auth, true, "x-acs-date differs from the server's time by more than 15 minutes. Sync the clock and re-sign."),
    code("InvalidTimeStamp.Format", ErrorClass::Invalid, false, "x-acs-date is not yyyy-MM-ddTHH:mm:ssZ."),
    code("InvalidUid.PermissionDenied", ErrorClass::Auth, false, "No permission on this resource. Check the account and its permissions."),
    code("InvalidVersion", ErrorClass::Invalid, false, "The API version is invalid. Use 2024-09-10."),
    code("LogNotFound", ErrorClass::NotFound, false, "The log was not found. Check the job and plan ids."),
    code("MissingOssUrl", ErrorClass::Invalid, false, "InsertWay oss needs OssUrl."),
    code("MissingParameter", ErrorClass::Invalid, false, "A required parameter is missing."),
    code("MissingSecurityToken", ErrorClass::Auth, false, "STS credentials need x-acs-security-token."),
    code("MissingTimeParameter", ErrorClass::Invalid, false, "ESA DescribePreloadTasks: StartTime and EndTime go together. Give both or neither."),
    code("MissingUrlList", ErrorClass::Invalid, false, "InsertWay textBox needs UrlList."),
    code("QuotaExceeded", ErrorClass::Quota, false, "A quota is exceeded. Wait for the reset or lower the batch."),
    code("ServiceUnavailable", ErrorClass::Server, true, "The service is temporarily unavailable. Retry later."),
    code("SignatureDoesNotMatch", ErrorClass::Auth, false, "The signature does not match. Check the AccessKey secret and that the signed bytes are the sent bytes."),
    code("SignatureNonceUsed", ErrorClass::Auth, true, "The nonce was used already. Retry with a new x-acs-signature-nonce."),
    code("SiteNotFound", ErrorClass::NotFound, false, "The site does not exist. Check the site id."),
    code("Throttling", ErrorClass::Throttled, true, "The request was throttled. Slow down and retry."),
    code("Throttling.Api", ErrorClass::Throttled, true, "The API's request rate was exceeded. Slow down and retry."),
    code("Throttling.User", ErrorClass::Throttled, true, "The account's request rate was exceeded (user flow control). Slow down and retry."),
    code("TooManyRequests", ErrorClass::Throttled, true, "Requests are too frequent. Slow down and retry."),
    code("UnsupportedHTTPMethod", ErrorClass::Invalid, false, "The HTTP method is not supported by this API."),
];

fn table(cloud: Cloud) -> &'static [CodeInfo] {
    match cloud {
        Cloud::Tencent => TENCENT_CODES,
        Cloud::Alibaba => ALIBABA_CODES,
    }
}

/// The documented entry for `code`, if any (exact match).
pub fn lookup(cloud: Cloud, code: &str) -> Option<&'static CodeInfo> {
    let t = table(cloud);
    t.binary_search_by(|c| c.code.cmp(code)).ok().map(|i| &t[i])
}

fn by_prefix(cloud: Cloud, code: &str) -> Option<(ErrorClass, bool)> {
    use ErrorClass::*;
    match cloud {
        Cloud::Tencent => {
            let head = code.split('.').next().unwrap_or(code);
            if let Some(info) = lookup(cloud, head) {
                return Some((info.class, info.retryable));
            }
            None
        }
        Cloud::Alibaba => {
            let starts = |p: &str| code.starts_with(p);
            Some(if starts("Throttling") || starts("TooManyRequests") {
                (Throttled, true)
            } else if starts("InvalidAccessKeyId")
                || starts("InvalidSecurityToken")
                || starts("Forbidden")
                || starts("NoPermission")
                || code.contains("PermissionDenied")
            {
                (Auth, false)
            } else if starts("InvalidTimeStamp") {
                (Auth, code.contains("Expired"))
            } else if code.ends_with(".NotFound")
                || code.ends_with("NotFound")
                || starts("NotFound")
            {
                (NotFound, false)
            } else if starts("QuotaExceed") || code.contains("Quota") {
                (Quota, false)
            } else if starts("InternalError")
                || starts("ServiceUnavailable")
                || starts("UnknownError")
            {
                (Server, true)
            } else if starts("Missing") || starts("Invalid") || starts("Unsupported") {
                (Invalid, false)
            } else {
                return None;
            })
        }
    }
}

fn by_status(status: u16) -> Option<(ErrorClass, bool)> {
    Some(match status {
        429 => (ErrorClass::Throttled, true),
        500..=599 => (ErrorClass::Server, true),
        404 => (ErrorClass::NotFound, false),
        401 | 403 => (ErrorClass::Auth, false),
        409 => (ErrorClass::Conflict, false),
        400..=499 => (ErrorClass::Invalid, false),
        _ => return None,
    })
}

/// Class and retryability of any code: the table entry, else a fallback by prefix (Tencent: the
/// part before the first `.`; Alibaba: `Throttling*`, `Invalid*`, `*.NotFound`, …), else by HTTP
/// status, else `Server`, not retryable.
pub fn classify(cloud: Cloud, code: &str, http_status: Option<u16>) -> (ErrorClass, bool) {
    if let Some(info) = lookup(cloud, code) {
        return (info.class, info.retryable);
    }
    by_prefix(cloud, code)
        .or_else(|| http_status.and_then(by_status))
        .unwrap_or((ErrorClass::Server, false))
}

/// The hint for a code (its own, else its Tencent prefix's), if documented.
pub fn hint(cloud: Cloud, code: &str) -> Option<&'static str> {
    lookup(cloud, code)
        .or_else(|| lookup(cloud, code.split('.').next().unwrap_or(code)))
        .map(|c| c.hint)
}

/// The hint for a code from either cloud's table (Tencent first), when the cloud is not known.
pub fn hint_any(code: &str) -> Option<&'static str> {
    [Cloud::Tencent, Cloud::Alibaba]
        .into_iter()
        .find_map(|c| hint(c, code))
}

/// Codes that refuse a whole submit because of one of its hosts: the domain is not on the
/// account, zone or site, or is in a state that forbids the call. The engine splits a batch
/// refused with one of these by host, so one bad host never fails the URLs of the others.
/// Sources: CreatePrefetchTask / CreatePurgeTask API pages (`InvalidParameter.DomainNotFound`,
/// "域名不存在或不属于该账号"); PushUrlsCache / PurgeUrlsCache / PurgePathCache API pages
/// (`ResourceNotFound.CdnHostNotExists`, `UnauthorizedOperation.CdnHostUnauthorized`,
/// `ResourceUnavailable.CdnHostIsNotOnline`, `ResourceUnavailable.CdnHostIsLocked`,
/// `InvalidParameter.CdnHostInvalidStatus`); PreloadCaches API page
/// (`InvalidParameter.RecordNotBelongToSite`; PurgeCaches is assumed to answer the same).
pub const HOST_REFUSAL_CODES: &[(Cloud, &str)] = &[
    (Cloud::Tencent, "InvalidParameter.CdnHostInvalidStatus"),
    (Cloud::Tencent, "InvalidParameter.DomainNotFound"),
    (Cloud::Tencent, "ResourceNotFound.CdnHostNotExists"),
    (Cloud::Tencent, "ResourceUnavailable.CdnHostIsLocked"),
    (Cloud::Tencent, "ResourceUnavailable.CdnHostIsNotOnline"),
    (Cloud::Tencent, "UnauthorizedOperation.CdnHostUnauthorized"),
    (Cloud::Alibaba, "InvalidParameter.RecordNotBelongToSite"),
    (Cloud::Alibaba, "RecordNotBelongToSite"),
];

/// Whether `code` refuses a call because of one of its hosts (see [`HOST_REFUSAL_CODES`]).
pub fn is_host_refusal(cloud: Cloud, code: &str) -> bool {
    HOST_REFUSAL_CODES
        .iter()
        .any(|(c, k)| *c == cloud && *k == code)
}

/// One English sentence per code the job engine meets, saying what the answer means. Tencent
/// answers in Chinese by default (the `Language` header picks it), so these lines go in front
/// of its messages ([`english_message`]); the vendor's text is kept after them. Sorted by code.
/// The meanings are those of the API pages' error lists (translated), see the module doc.
pub const ENGLISH_LINES: &[(Cloud, &str, &str)] = &[
    (
        Cloud::Tencent,
        "AuthFailure.SecretIdNotFound",
        "The SecretId does not exist or is disabled.",
    ),
    (
        Cloud::Tencent,
        "AuthFailure.SignatureExpire",
        "The request was signed at a time too far from Tencent Cloud's clock.",
    ),
    (
        Cloud::Tencent,
        "AuthFailure.SignatureFailure",
        "The signature does not match the request.",
    ),
    (
        Cloud::Tencent,
        "AuthFailure.UnauthorizedOperation",
        "The key is not authorised for this action.",
    ),
    (
        Cloud::Tencent,
        "FailedOperation",
        "The operation failed on Tencent Cloud.",
    ),
    (
        Cloud::Tencent,
        "InternalError",
        "Tencent Cloud had an internal error.",
    ),
    (
        Cloud::Tencent,
        "InternalError.BackendError",
        "EdgeOne's backend failed to process the request.",
    ),
    (
        Cloud::Tencent,
        "InternalError.DomainConfig",
        "EdgeOne could not read the domain's configuration.",
    ),
    (
        Cloud::Tencent,
        "InternalError.QuotaSystem",
        "EdgeOne's quota system failed.",
    ),
    (Cloud::Tencent, "InvalidParameter", "A parameter is wrong."),
    (
        Cloud::Tencent,
        "InvalidParameter.CdnHostInvalidStatus",
        "The domain's status does not allow this operation.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameter.CdnParamError",
        "A parameter is wrong.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameter.CdnUrlExceedLength",
        "A URL is longer than CDN accepts.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameter.DomainNotFound",
        "The domain does not exist or does not belong to this account.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameter.ParameterError",
        "A parameter is wrong.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameter.Target",
        "A target is malformed.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameter.TaskNotGenerated",
        "The task could not be generated.",
    ),
    (
        Cloud::Tencent,
        "InvalidParameterValue",
        "A parameter value is invalid.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.BatchQuota",
        "The call carries more targets than one call accepts.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnHostOpTooOften",
        "The domain is operated on too often.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPurgeExceedDayLimit",
        "Today's purge quota is used up.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPurgePathExceedBatchLimit",
        "The call carries more paths than one purge call accepts.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPurgePathExceedDayLimit",
        "Today's path purge quota is used up.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPurgeUrlExceedBatchLimit",
        "The call carries more URLs than one purge call accepts.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPurgeUrlExceedDayLimit",
        "Today's URL purge quota is used up.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPushExceedBatchLimit",
        "The call carries more URLs than one prefetch call accepts.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.CdnPushExceedDayLimit",
        "Today's prefetch quota is used up.",
    ),
    (
        Cloud::Tencent,
        "LimitExceeded.DailyQuota",
        "Today's quota is used up.",
    ),
    (
        Cloud::Tencent,
        "RequestLimitExceeded",
        "Too many requests per second.",
    ),
    (
        Cloud::Tencent,
        "ResourceInUse.CdnOpInProgress",
        "Another operation on the domain is in progress.",
    ),
    (
        Cloud::Tencent,
        "ResourceNotFound",
        "The resource does not exist.",
    ),
    (
        Cloud::Tencent,
        "ResourceNotFound.CdnHostNotExists",
        "The domain was not found in this account's CDN.",
    ),
    (
        Cloud::Tencent,
        "ResourceNotFound.CdnUserNotExists",
        "CDN is not activated for this account.",
    ),
    (
        Cloud::Tencent,
        "ResourceUnavailable.CdnHostIsLocked",
        "The domain is locked.",
    ),
    (
        Cloud::Tencent,
        "ResourceUnavailable.CdnHostIsNotOnline",
        "The domain is offline.",
    ),
    (
        Cloud::Tencent,
        "UnauthorizedOperation.CamUnauthorized",
        "CAM has not authorised this action.",
    ),
    (
        Cloud::Tencent,
        "UnauthorizedOperation.CdnHostUnauthorized",
        "The sub-account is not authorised to operate on this domain.",
    ),
    (
        Cloud::Tencent,
        "UnauthorizedOperation.NoPermission",
        "The sub-account lacks the permission for this action.",
    ),
    (
        Cloud::Tencent,
        "UnauthorizedOperation.OperationTooOften",
        "Calls exceed the frequency limit.",
    ),
    (
        Cloud::Tencent,
        "UnauthorizedOperation.Unknown",
        "An unknown backend error occurred during authorisation.",
    ),
    (
        Cloud::Alibaba,
        "InvalidParameter.RecordNotBelongToSite",
        "The URL's host is not a proxied record of this ESA site.",
    ),
    (
        Cloud::Alibaba,
        "RecordNotBelongToSite",
        "The URL's host is not a proxied record of this ESA site.",
    ),
];

/// The English line for `code`: its entry in [`ENGLISH_LINES`], else the first sentence of its
/// documented hint, if any.
pub fn english_line(cloud: Cloud, code: &str) -> Option<&'static str> {
    ENGLISH_LINES
        .iter()
        .find(|(c, k, _)| *c == cloud && *k == code)
        .map(|(_, _, line)| *line)
        .or_else(|| hint(cloud, code).map(first_sentence))
}

fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// Whether a text holds Chinese, Japanese or Korean characters (or their full-width
/// punctuation), which is how a vendor message in Chinese is told from an English one.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
            | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    })
}

/// A vendor message for people who read English: a message in Chinese gets the code's English
/// line in front ([`english_line`], or "Tencent Cloud answered `code`." for a code without one)
/// and keeps the vendor's text after it as detail; an English message is returned as is.
pub fn english_message(cloud: Cloud, code: &str, message: &str) -> String {
    if !has_cjk(message) {
        return message.to_string();
    }
    let vendor = match cloud {
        Cloud::Tencent => "Tencent Cloud",
        Cloud::Alibaba => "Alibaba Cloud",
    };
    let line = english_line(cloud, code)
        .map(String::from)
        .unwrap_or_else(|| format!("{vendor} answered {code}."));
    format!("{line} ({vendor} said: {message})")
}

/// Codes whose documented hint cannot name the parameter (the vendor names it in the message
/// only): their [`hint_for`] does, from the message or the call's fields.
pub fn hint_needs_field(code: &str) -> bool {
    matches!(
        code,
        "InvalidParameter"
            | "InvalidParameterValue"
            | "MissingParameter"
            | "UnknownParameter"
            | "InvalidParameter.Format"
            | "InvalidParameter.ParameterError"
            | "InvalidParameter.CdnParamError"
    ) || code.starts_with("InvalidParameterValue.")
        || code.starts_with("MissingParameter.")
}

/// Whether `token` has the shape of an API field name: `Content`, `SiteId`, `Content.Files`,
/// `Targets[3]`, `Headers[0].Name` (an upper-case letter first, then letters, digits, dots and
/// indexes, at least one lower-case letter).
fn is_field_like(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && token.chars().any(|c| c.is_ascii_lowercase())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_'))
}

/// The parameter a vendor message names, if it names one: one of the call's `fields` (vendor
/// spelling; the most specific form the message uses, such as `Content.Files` or `Targets[3]`),
/// else a name the message quotes (`` `X` ``, `"X"`, `'X'`, `「X」`) or puts after "parameter"
/// / "参数".
pub fn field_in_message(message: &str, fields: &[&str]) -> Option<String> {
    let tokens: Vec<&str> = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_')))
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    let known = tokens
        .iter()
        .filter(|t| {
            fields.iter().any(|f| {
                **t == *f
                    || t.strip_prefix(f)
                        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
        })
        .max_by_key(|t| t.len());
    if let Some(t) = known {
        return Some(t.to_string());
    }
    for (open, close) in [
        ('`', '`'),
        ('"', '"'),
        ('\'', '\''),
        ('「', '」'),
        ('“', '”'),
    ] {
        let mut rest = message;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(close) else { break };
            let inner = after[..end].trim();
            if is_field_like(inner) {
                return Some(inner.to_string());
            }
            rest = &after[end + close.len_utf8()..];
        }
    }
    let lower = message.to_ascii_lowercase();
    for marker in ["parameter ", "parameter: ", "参数"] {
        if let Some(i) = lower.find(marker) {
            let after = &message[i + marker.len()..];
            let word: String = after
                .trim_start_matches([' ', ':', '：'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_'))
                .collect();
            let word = word.trim_end_matches('.');
            if is_field_like(word) {
                return Some(word.to_string());
            }
        }
    }
    None
}

/// The hint for an answer, naming the parameter where the documented hint cannot: for the
/// generic parameter codes (`InvalidParameter`, `InvalidParameterValue`, `MissingParameter`, …)
/// the field the message names ([`field_in_message`]), else the fields the call carried
/// (`fields`, vendor spelling), so a hint never says "the named parameter" without naming
/// one. Other codes get their documented hint ([`hint`]).
pub fn hint_for(cloud: Cloud, code: &str, message: &str, fields: &[&str]) -> Option<String> {
    let base = hint(cloud, code);
    if !hint_needs_field(code) {
        return base.map(String::from);
    }
    let head = base.map_or("A parameter is wrong.", first_sentence);
    Some(match field_in_message(message, fields) {
        Some(field) => format!("{head} The parameter is {field}: fix {field} as the message says."),
        None if !fields.is_empty() => format!(
            "{head} The call carried {}; the message says which of them is wrong.",
            fields.join(", ")
        ),
        None => base?.to_string(),
    })
}

/// [`hint_for`] when the cloud is not known: Tencent's table first, then Alibaba's.
pub fn hint_for_any(code: &str, message: &str, fields: &[&str]) -> Option<String> {
    let cloud = [Cloud::Tencent, Cloud::Alibaba]
        .into_iter()
        .find(|c| hint(*c, code).is_some())
        .unwrap_or(Cloud::Tencent);
    hint_for(cloud, code, message, fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorClass::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        for t in [TENCENT_CODES, ALIBABA_CODES] {
            assert!(t.windows(2).all(|w| w[0].code < w[1].code));
            assert!(t.iter().all(|c| !c.hint.is_empty()));
        }
    }

    #[test]
    fn every_seed_and_spec_code_is_listed() {
        let tencent = [
            "InternalError.BackendError",
            "InternalError.CamSystemError",
            "InternalError.CdnConfigError",
            "InternalError.CdnDbError",
            "InternalError.CdnQuerySystemError",
            "InternalError.CdnSystemError",
            "InternalError.DomainConfig",
            "InternalError.Error",
            "InternalError.FailedToGenerateUrl",
            "InternalError.ProxyServer",
            "InternalError.QuotaSystem",
            "InternalError.RouteError",
            "InvalidParameter.CdnHostInvalidMiddleConfig",
            "InvalidParameter.CdnHostInvalidParam",
            "InvalidParameter.CdnHostInvalidStatus",
            "InvalidParameter.CdnInterfaceError",
            "InvalidParameter.CdnParamError",
            "InvalidParameter.CdnPushWildcardNotAllowed",
            "InvalidParameter.CdnStatInvalidDate",
            "InvalidParameter.CdnStatInvalidProjectId",
            "InvalidParameter.DomainNotFound",
            "InvalidParameter.ParameterError",
            "InvalidParameter.Target",
            "InvalidParameter.TaskNotGenerated",
            "InvalidParameter.UploadUrl",
            "LimitExceeded.BatchQuota",
            "LimitExceeded.CdnHostOpTooOften",
            "LimitExceeded.CdnPushExceedBatchLimit",
            "LimitExceeded.CdnPushExceedDayLimit",
            "LimitExceeded.DailyQuota",
            "OperationDenied",
            "ResourceInUse.CdnOpInProgress",
            "ResourceNotFound.CdnHostNotExists",
            "ResourceNotFound.CdnUserNotExists",
            "ResourceUnavailable.CdnHostIsLocked",
            "ResourceUnavailable.CdnHostIsNotOnline",
            "UnauthorizedOperation.CamUnauthorized",
            "UnauthorizedOperation.CdnCamUnauthorized",
            "UnauthorizedOperation.CdnHostUnauthorized",
            "UnauthorizedOperation.CdnUserAuthFail",
            "UnauthorizedOperation.CdnUserAuthWait",
            "UnauthorizedOperation.CdnUserIsSuspended",
            "UnauthorizedOperation.CdnUserNoWhitelist",
            "UnauthorizedOperation.DomainEmpty",
            "UnauthorizedOperation.EcdnMigratedCdn",
            "UnauthorizedOperation.NoPermission",
            "UnauthorizedOperation.OpNoAuth",
            "UnauthorizedOperation.OperationTooOften",
            "UnauthorizedOperation.Unknown",
            "InternalError",
            "ActionOffline",
            "AuthFailure.InvalidAuthorization",
            "AuthFailure.InvalidSecretId",
            "AuthFailure.MFAFailure",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.SignatureExpire",
            "AuthFailure.SignatureFailure",
            "AuthFailure.TokenFailure",
            "AuthFailure.UnauthorizedOperation",
            "DryRunOperation",
            "FailedOperation",
            "InvalidAction",
            "InvalidParameter",
            "InvalidParameterValue",
            "InvalidRequest",
            "IpInBlacklist",
            "IpNotInWhitelist",
            "LimitExceeded",
            "MissingParameter",
            "NoSuchProduct",
            "NoSuchVersion",
            "RequestLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestSizeLimitExceeded",
            "ResourceInUse",
            "ResourceInsufficient",
            "ResourceNotFound",
            "ResourceUnavailable",
            "ResponseSizeLimitExceeded",
            "ServiceUnavailable",
            "UnauthorizedOperation",
            "UnknownParameter",
            "UnsupportedOperation",
            "UnsupportedProtocol",
            "UnsupportedRegion",
            "InvalidParameter.CdnPurgeWildcardNotAllowed",
            "InvalidParameter.CdnUrlExceedLength",
            "LimitExceeded.PackNotAllow",
        ];
        for c in tencent {
            assert!(lookup(Cloud::Tencent, c).is_some(), "{c} missing");
        }
        let alibaba = [
            "InvalidEndTime.Mismatch",
            "InvalidJob.JobCountOfSiteFull",
            "InvalidParameter.ObjectId",
            "MissingOssUrl",
            "MissingUrlList",
            "TooManyRequests",
            "InvalidUid.PermissionDenied",
            "InvalidJob.NotFound",
            "LogNotFound",
            "InvalidExecution.NotFound",
            "InvalidApi.NotFound",
            "InvalidAccessKeyId.NotFound",
            "InvalidAccessKeyId.Inactive",
            "InvalidTimeStamp.Format",
            "InvalidTimeStamp.Expired",
            "SignatureNonceUsed",
            "SignatureDoesNotMatch",
            "UnsupportedHTTPMethod",
            "InvalidSignatureMethod",
            "InvalidParameter.Format",
            "Throttling.User",
            "Throttling",
            "Throttling.Api",
            "InvalidParameter.RecordNotBelongToSite",
            "IncompleteSignature",
            "MissingSecurityToken",
            "InvalidSecurityToken.Malformed",
            "MissingTimeParameter",
            "InvalidTime",
            "DomainNameOverLimit",
        ];
        for c in alibaba {
            assert!(lookup(Cloud::Alibaba, c).is_some(), "{c} missing");
        }
    }

    #[test]
    fn classes_of_samples() {
        assert_eq!(
            classify(Cloud::Tencent, "AuthFailure.SignatureExpire", None),
            (Auth, true)
        );
        assert_eq!(
            classify(Cloud::Tencent, "AuthFailure.SignatureFailure", None),
            (Auth, false)
        );
        assert_eq!(
            classify(Cloud::Tencent, "RequestLimitExceeded", None),
            (Throttled, true)
        );
        assert_eq!(
            classify(Cloud::Tencent, "LimitExceeded.DailyQuota", None),
            (Quota, false)
        );
        assert_eq!(
            classify(Cloud::Tencent, "ResourceNotFound.CdnHostNotExists", None),
            (NotFound, false)
        );
        assert_eq!(
            classify(Cloud::Tencent, "ResourceInUse.CdnOpInProgress", None),
            (Conflict, true)
        );
        assert_eq!(
            classify(Cloud::Tencent, "InternalError.BackendError", None),
            (Server, true)
        );
        assert_eq!(
            classify(Cloud::Tencent, "InvalidParameter.CdnParamError", None),
            (Invalid, false)
        );
        assert_eq!(
            classify(Cloud::Alibaba, "Throttling.User", Some(400)),
            (Throttled, true)
        );
        assert_eq!(
            classify(Cloud::Alibaba, "InvalidJob.NotFound", Some(404)),
            (NotFound, false)
        );
        // `QuotaExcess` is an ErrorInfo value of a scheduled job, not an API code: not listed,
        // yet an answer carrying it still reads as a quota problem
        assert!(lookup(Cloud::Alibaba, "QuotaExcess").is_none());
        assert_eq!(
            classify(Cloud::Alibaba, "QuotaExcess", None),
            (Quota, false)
        );
        for c in ["MissingTimeParameter", "InvalidTime", "DomainNameOverLimit"] {
            let info = lookup(Cloud::Alibaba, c).unwrap();
            assert_eq!((info.class, info.retryable), (Invalid, false), "{c}");
        }
    }

    #[test]
    fn fallbacks() {
        assert_eq!(
            classify(Cloud::Tencent, "RequestLimitExceeded.SomethingNew", None),
            (Throttled, true)
        );
        assert_eq!(
            classify(Cloud::Tencent, "UnauthorizedOperation.New", None),
            (Auth, false)
        );
        assert_eq!(
            classify(Cloud::Tencent, "ResourceNotFound.New", None),
            (NotFound, false)
        );
        assert_eq!(
            classify(Cloud::Alibaba, "Throttling.New", None),
            (Throttled, true)
        );
        assert_eq!(
            classify(Cloud::Alibaba, "InvalidFoo.NotFound", None),
            (NotFound, false)
        );
        assert_eq!(
            classify(Cloud::Alibaba, "InvalidBar", None),
            (Invalid, false)
        );
        assert_eq!(classify(Cloud::Alibaba, "Weird", Some(503)), (Server, true));
        assert_eq!(
            classify(Cloud::Alibaba, "Weird", Some(429)),
            (Throttled, true)
        );
        assert_eq!(classify(Cloud::Tencent, "Weird", None), (Server, false));
        assert!(hint(Cloud::Tencent, "LimitExceeded.Whatever").is_some());
    }

    #[test]
    fn chinese_messages_get_an_english_line_in_front() {
        let m = english_message(
            Cloud::Tencent,
            "ResourceNotFound.CdnHostNotExists",
            "未查询到该域名，请确认域名是否正确",
        );
        assert_eq!(
            m,
            "The domain was not found in this account's CDN. (Tencent Cloud said: 未查询到该域名，请确认域名是否正确)"
        );
        let m = english_message(
            Cloud::Tencent,
            "InvalidParameter.DomainNotFound",
            "域名不存在或不属于该账号: evil.example.net",
        );
        assert!(
            m.starts_with("The domain does not exist or does not belong to this account.")
                && m.ends_with("域名不存在或不属于该账号: evil.example.net)"),
            "{m}"
        );
        // English messages are kept as they are
        let english = "The record a.example.net does not belong to the site.";
        assert_eq!(
            english_message(
                Cloud::Alibaba,
                "InvalidParameter.RecordNotBelongToSite",
                english
            ),
            english
        );
        // a code outside the table: its hint's first sentence; an unknown one: the code
        assert_eq!(
            english_line(Cloud::Tencent, "InternalError.CdnDbError"),
            Some("CDN database error.")
        );
        assert_eq!(
            english_message(Cloud::Tencent, "Weird.Code", "出错了"),
            "Tencent Cloud answered Weird.Code. (Tencent Cloud said: 出错了)"
        );
        for (cloud, code) in HOST_REFUSAL_CODES {
            assert!(english_line(*cloud, code).is_some(), "{code}");
            assert!(is_host_refusal(*cloud, code));
        }
        for (cloud, code, line) in ENGLISH_LINES {
            assert!(
                lookup(*cloud, code).is_some() || *code == "RecordNotBelongToSite",
                "{code} is documented"
            );
            assert!(!has_cjk(line) && line.ends_with('.'), "{line}");
        }
        assert!(!is_host_refusal(Cloud::Tencent, "LimitExceeded.DailyQuota"));
    }

    #[test]
    fn hints_name_the_parameter() {
        let preload = ["Content", "Headers", "SiteId"];
        let h = hint_for(
            Cloud::Alibaba,
            "InvalidParameter",
            "Content holds 600 URLs; at most 500 per call.",
            &preload,
        )
        .unwrap();
        assert_eq!(
            h,
            "A parameter is invalid. The parameter is Content: fix Content as the message says."
        );
        // the most specific form the message uses
        let h = hint_for(
            Cloud::Alibaba,
            "InvalidParameter",
            "Content.Files spans 12 domains; at most 10 per call.",
            &["Content", "Content.Files", "SiteId", "Type"],
        )
        .unwrap();
        assert!(h.contains("The parameter is Content.Files"), "{h}");
        // named by the message without the call's fields: quoted, or after "parameter"
        assert_eq!(
            field_in_message("参数`Targets`格式错误", &[]).as_deref(),
            Some("Targets")
        );
        assert_eq!(
            field_in_message("The specified parameter StartTime is invalid.", &[]).as_deref(),
            Some("StartTime")
        );
        assert_eq!(
            field_in_message("Targets[3] is not a URL", &["Targets", "ZoneId"]).as_deref(),
            Some("Targets[3]")
        );
        assert_eq!(field_in_message("The value is wrong.", &[]), None);
        // nothing named: the hint lists what the call carried
        let h = hint_for(
            Cloud::Tencent,
            "InvalidParameter",
            "参数错误",
            &["Targets", "ZoneId"],
        )
        .unwrap();
        assert!(h.contains("The call carried Targets, ZoneId"), "{h}");
        for h in [
            hint(Cloud::Tencent, "InvalidParameter"),
            hint(Cloud::Alibaba, "InvalidParameter"),
            hint(Cloud::Tencent, "InvalidParameterValue"),
        ] {
            assert!(
                !h.unwrap().contains("named"),
                "no hint claims a name it lacks"
            );
        }
        // codes that name their subject keep their documented hint
        assert_eq!(
            hint_for(Cloud::Tencent, "LimitExceeded.DailyQuota", "x", &preload).as_deref(),
            hint(Cloud::Tencent, "LimitExceeded.DailyQuota")
        );
        assert_eq!(
            hint_for_any("InvalidParameter", "Content is empty", &preload).as_deref(),
            Some(
                "A parameter is wrong. The parameter is Content: fix Content as the message says."
            )
        );
    }
}
