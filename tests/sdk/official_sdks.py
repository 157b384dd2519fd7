"""The official Python SDKs against the edgewarm sandbox, through the proxy.

The SDKs keep the real product host in the URL, the Host header and the signature; only their
TCP connection is redirected to the proxy on loopback (socket.getaddrinfo is patched for the
vendor hosts), exactly as the conformance vectors were captured. Every vendor's calls must
succeed with the expected bodies, and tampered calls must fail with the vendor's own codes.

usage: python official_sdks.py PROXY_PORT      (prints 'N passed, M failed'; exit 1 on failure)
"""
import json
import socket
import sys
import time
import traceback

PORT = int(sys.argv[1])
VENDOR_SUFFIXES = (".tencentcloudapi.com", ".aliyuncs.com")
_real_getaddrinfo = socket.getaddrinfo


def _loopback_getaddrinfo(host, port, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.endswith(VENDOR_SUFFIXES):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", PORT))]
    return _real_getaddrinfo(host, port, *args, **kwargs)


socket.getaddrinfo = _loopback_getaddrinfo

from tencentcloud.common import credential  # noqa: E402
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException  # noqa: E402
from tencentcloud.common.profile.client_profile import ClientProfile  # noqa: E402
from tencentcloud.common.profile.http_profile import HttpProfile  # noqa: E402
from tencentcloud.cdn.v20180606 import cdn_client, models as cdn_models  # noqa: E402
from tencentcloud.teo.v20220901 import teo_client, models as teo_models  # noqa: E402
from alibabacloud_esa20240910.client import Client as EsaClient  # noqa: E402
from alibabacloud_esa20240910 import models as esa_models  # noqa: E402
from alibabacloud_tea_openapi import models as open_api_models  # noqa: E402

TC_ID, TC_KEY = "AKIDSANDBOX0000000000000000000000000", "sandbox-tencent-secret"
ALI_ID, ALI_KEY = "LTAISANDBOX0000000000000", "sandbox-alibaba-secret"
RESULTS = []


def check(name, fn):
    try:
        fn()
        RESULTS.append((name, True, ""))
        print("ok   %s" % name)
    except Exception as e:  # noqa: BLE001 - report every failure, keep going
        RESULTS.append((name, False, repr(e)))
        print("FAIL %s: %r" % (name, e))
        traceback.print_exc(limit=2)


def tencent(cls, service, key=TC_KEY, intl=False):
    hp = HttpProfile(protocol="http", endpoint="%s.%stencentcloudapi.com" % (service, "intl." if intl else ""))
    cp = ClientProfile(httpProfile=hp)
    return cls(credential.Credential(TC_ID, key), "", cp)


def tc_request(model, params):
    req = model()
    req.from_json_string(json.dumps(params))
    return req


def expect_tc_error(code, fn):
    try:
        fn()
    except TencentCloudSDKException as e:
        assert e.get_code() == code, "expected %s, got %s (%s)" % (code, e.get_code(), e.get_message())
        return
    raise AssertionError("expected %s, the call succeeded" % code)


def esa(key=ALI_KEY):
    cfg = open_api_models.Config(access_key_id=ALI_ID, access_key_secret=key, protocol="http",
                                 endpoint="esa.cn-hangzhou.aliyuncs.com", region_id="cn-hangzhou")
    return EsaClient(cfg)


def expect_ali_error(code, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - Tea raises its own exception types
        got = getattr(e, "code", None)
        assert got == code, "expected %s, got %r (%s)" % (code, got, e)
        return
    raise AssertionError("expected %s, the call succeeded" % code)


# ---------------------------------------------------------------- EdgeOne
def teo_prefetch():
    c = tencent(teo_client.TeoClient, "teo")
    r = c.CreatePrefetchTask(tc_request(teo_models.CreatePrefetchTaskRequest, {
        "ZoneId": "zone-sandbox",
        "Targets": ["https://www.example.com/app.js", "https://static.example.com/中文.png"],
        "EncodeUrl": True,
    }))
    assert r.JobId, r.to_json_string()
    assert r.FailedList == [] or r.FailedList is None
    d = c.DescribePrefetchTasks(tc_request(teo_models.DescribePrefetchTasksRequest, {
        "ZoneId": "zone-sandbox", "Filters": [{"Name": "job-id", "Values": [r.JobId]}]}))
    assert d.TotalCount == 2, d.to_json_string()
    assert {t.Status for t in d.Tasks} == {"processing"}, d.to_json_string()


def teo_purge_and_quota():
    c = tencent(teo_client.TeoClient, "teo", intl=True)
    r = c.CreatePurgeTask(tc_request(teo_models.CreatePurgeTaskRequest, {
        "ZoneId": "zone-sandbox", "Type": "purge_url", "Targets": ["https://www.example.com/a.js"]}))
    assert r.JobId
    d = c.DescribePurgeTasks(tc_request(teo_models.DescribePurgeTasksRequest, {
        "ZoneId": "zone-sandbox", "Filters": [{"Name": "job-id", "Values": [r.JobId]}]}))
    assert d.TotalCount == 1, d.to_json_string()
    q = c.DescribeContentQuota(tc_request(teo_models.DescribeContentQuotaRequest, {"ZoneId": "zone-sandbox"}))
    assert q.PrefetchQuota[0].Type == "prefetch_url" and q.PrefetchQuota[0].DailyAvailable >= 0
    assert len(q.PurgeQuota) == 5


def teo_errors():
    bad = tencent(teo_client.TeoClient, "teo", key="wrong-secret")
    req = tc_request(teo_models.DescribeContentQuotaRequest, {"ZoneId": "zone-sandbox"})
    expect_tc_error("AuthFailure.SignatureFailure", lambda: bad.DescribeContentQuota(req))
    c = tencent(teo_client.TeoClient, "teo")
    expect_tc_error("InvalidParameter.DomainNotFound", lambda: c.CreatePrefetchTask(tc_request(
        teo_models.CreatePrefetchTaskRequest, {"ZoneId": "zone-sandbox", "Targets": ["https://other.org/x"]})))
    real_time = time.time
    time.time = lambda: real_time() - 400
    try:
        expect_tc_error("AuthFailure.SignatureExpire", lambda: c.DescribeContentQuota(req))
    finally:
        time.time = real_time


# ---------------------------------------------------------------- CDN
def cdn_push():
    c = tencent(cdn_client.CdnClient, "cdn")
    r = c.PushUrlsCache(tc_request(cdn_models.PushUrlsCacheRequest, {
        "Urls": ["https://www.example.com/video/index.m3u8"], "Area": "mainland", "ParseM3U8": True,
        "Headers": [{"Name": "Referer", "Value": "https://www.example.com/"}]}))
    assert r.TaskId
    d = c.DescribePushTasks(tc_request(cdn_models.DescribePushTasksRequest, {"TaskId": r.TaskId}))
    assert d.TotalCount == 1 and d.PushLogs[0].Url == "https://www.example.com/video/index.m3u8"
    q = c.DescribePushQuota(cdn_models.DescribePushQuotaRequest())
    assert [x.Area for x in q.UrlPush] == ["mainland", "overseas"]


def cdn_purge():
    c = tencent(cdn_client.CdnClient, "cdn")
    r = c.PurgeUrlsCache(tc_request(cdn_models.PurgeUrlsCacheRequest, {
        "Urls": ["https://www.example.com/static/app.js"], "Area": "mainland", "UrlEncode": False}))
    assert r.TaskId
    p = c.PurgePathCache(tc_request(cdn_models.PurgePathCacheRequest, {
        "Paths": ["https://www.example.com/static/"], "FlushType": "flush"}))
    assert p.TaskId
    d = c.DescribePurgeTasks(tc_request(cdn_models.DescribePurgeTasksRequest, {"TaskId": r.TaskId}))
    assert d.TotalCount == 1 and d.PurgeLogs[0].Url == "https://www.example.com/static/app.js"
    assert d.PurgeLogs[0].PurgeType == "url" and d.PurgeLogs[0].Status in ("process", "done")
    d = c.DescribePurgeTasks(tc_request(cdn_models.DescribePurgeTasksRequest, {"TaskId": p.TaskId, "PurgeType": "path"}))
    assert d.TotalCount == 1 and d.PurgeLogs[0].FlushType == "flush"
    q = c.DescribePurgeQuota(cdn_models.DescribePurgeQuotaRequest())
    assert [x.Area for x in q.UrlPurge] == ["mainland", "overseas"] and q.PathPurge[0].Batch == 500
    expect_tc_error("InvalidParameter.CdnPurgeWildcardNotAllowed", lambda: c.PurgeUrlsCache(tc_request(
        cdn_models.PurgeUrlsCacheRequest, {"Urls": ["https://*.example.com/a.js"]})))


def cdn_errors():
    c = tencent(cdn_client.CdnClient, "cdn")
    expect_tc_error("InvalidParameter.CdnPushWildcardNotAllowed", lambda: c.PushUrlsCache(tc_request(
        cdn_models.PushUrlsCacheRequest, {"Urls": ["https://*.example.com/a.js"]})))
    expect_tc_error("ResourceNotFound.CdnHostNotExists", lambda: c.PushUrlsCache(tc_request(
        cdn_models.PushUrlsCacheRequest, {"Urls": ["https://nope.example.org/a.js"]})))


# ---------------------------------------------------------------- ESA
def esa_preload():
    c = esa()
    r = c.preload_caches(esa_models.PreloadCachesRequest(
        site_id=100000001, content=["https://www.example.com/a.js", "https://static.example.com/b c.css".replace(" ", "%20")],
        headers={"Accept-Encoding": "gzip"}))
    assert r.status_code == 200 and r.body.task_id, r.body
    d = c.describe_preload_tasks(esa_models.DescribePreloadTasksRequest(site_id=100000001, page_size=50))
    assert d.body.total_count >= 2, d.body
    p = c.purge_caches(esa_models.PurgeCachesRequest(
        site_id=100000001, type="file", content=esa_models.PurgeCachesRequestContent(files=["https://www.example.com/a.js"])))
    assert p.body.task_id


def esa_purge_tracking():
    c = esa()
    p = c.purge_caches(esa_models.PurgeCachesRequest(
        site_id=100000001, type="file", content=esa_models.PurgeCachesRequestContent(files=["https://www.example.com/purged.js"])))
    assert p.body.task_id
    d = c.describe_purge_tasks(esa_models.DescribePurgeTasksRequest(
        site_id=100000001, type="file", content="https://www.example.com/purged.js", page_number=1, page_size=50))
    assert d.body.total_count == 1 and d.body.tasks[0].status in ("Refreshing", "Complete")
    assert d.body.tasks[0].task_id == p.body.task_id and d.body.tasks[0].type == "file"
    q = c.get_purge_quota(esa_models.GetPurgeQuotaRequest(site_id=100000001, type="file"))
    assert int(q.body.quota) > 0 and int(q.body.usage) >= 1 and q.body.quota_30day and q.body.usage_30day


def esa_scheduled():
    c = esa()
    job = c.create_scheduled_preload_job(esa_models.CreateScheduledPreloadJobRequest(
        site_id=100000001, name="nightly warm", insert_way="textBox",
        url_list="https://www.example.com/1.js\nhttps://www.example.com/2.js\nhttps://elsewhere.example.org/3.js")).body
    assert job.url_count == 3 and job.url_submitted == 2 and job.error_info == "InvalidDomain", job
    ex = c.create_scheduled_preload_executions(esa_models.CreateScheduledPreloadExecutionsRequest(
        id=job.id, executions=[esa_models.CreateScheduledPreloadExecutionsRequestExecutions(
            start_time="2030-01-01T00:00:00Z", end_time="2030-01-02T00:00:00Z", interval=60, slice_len=1)])).body
    assert ex.success_count == 1, ex
    plan = ex.success_executions[0].id
    lst = c.list_scheduled_preload_executions(esa_models.ListScheduledPreloadExecutionsRequest(id=job.id)).body
    assert lst.executions[0].status == "waiting", lst
    c.update_scheduled_preload_execution(esa_models.UpdateScheduledPreloadExecutionRequest(id=plan, slice_len=2))
    c.stop_scheduled_preload_execution(esa_models.StopScheduledPreloadExecutionRequest(id=plan))
    c.start_scheduled_preload_execution(esa_models.StartScheduledPreloadExecutionRequest(id=plan))
    got = c.get_scheduled_preload_job(esa_models.GetScheduledPreloadJobRequest(id=job.id)).body
    assert got.id == job.id and got.name == "nightly warm"
    jobs = c.list_scheduled_preload_jobs(esa_models.ListScheduledPreloadJobsRequest(site_id=100000001)).body
    assert any(j.id == job.id for j in jobs.jobs)
    c.reset_scheduled_preload_job(esa_models.ResetScheduledPreloadJobRequest(id=job.id))
    c.delete_scheduled_preload_execution(esa_models.DeleteScheduledPreloadExecutionRequest(id=plan))
    c.delete_scheduled_preload_job(esa_models.DeleteScheduledPreloadJobRequest(id=job.id))
    expect_ali_error("InvalidJob.NotFound", lambda: c.get_scheduled_preload_job(
        esa_models.GetScheduledPreloadJobRequest(id=job.id)))


def esa_errors():
    expect_ali_error("SignatureDoesNotMatch", lambda: esa(key="wrong").preload_caches(
        esa_models.PreloadCachesRequest(site_id=100000001, content=["https://www.example.com/a.js"])))
    expect_ali_error("InvalidParameter.RecordNotBelongToSite", lambda: esa().preload_caches(
        esa_models.PreloadCachesRequest(site_id=100000001, content=["https://other.example.org/a.js"])))


for name, fn in [("teo CreatePrefetchTask + DescribePrefetchTasks", teo_prefetch),
                 ("teo CreatePurgeTask + DescribePurgeTasks + DescribeContentQuota (intl host)", teo_purge_and_quota),
                 ("teo tampered: wrong key, foreign domain, expired", teo_errors),
                 ("cdn PushUrlsCache + DescribePushTasks + DescribePushQuota", cdn_push),
                 ("cdn PurgeUrlsCache + PurgePathCache + DescribePurgeTasks + DescribePurgeQuota", cdn_purge),
                 ("cdn errors: wildcard, foreign domain", cdn_errors),
                 ("esa PreloadCaches + DescribePreloadTasks + PurgeCaches", esa_preload),
                 ("esa DescribePurgeTasks + GetPurgeQuota", esa_purge_tracking),
                 ("esa scheduled job and plans, full lifecycle", esa_scheduled),
                 ("esa tampered: wrong key, foreign domain", esa_errors)]:
    check(name, fn)

passed = sum(1 for _, ok, _ in RESULTS if ok)
failed = len(RESULTS) - passed
print("%d passed, %d failed" % (passed, failed))
sys.exit(0 if failed == 0 else 1)
