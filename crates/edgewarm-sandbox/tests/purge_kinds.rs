//! Purge jobs of every kind a vendor has, driven sans-IO against the sandbox: prefixes
//! (EdgeOne `purge_prefix`, CDN PurgePathCache, ESA `directory`), hosts (EdgeOne `purge_host`,
//! ESA `hostname`) and cache tags (EdgeOne `purge_cache_tag` with its `CacheTag.Domains`, ESA
//! `cachetag`) each end with every entry purged once and nothing prefetched; the kinds a vendor
//! lacks (CDN host and tag) and an EdgeOne tag purge without domains are refused before
//! anything is sent, naming the field.

mod common;

use common::creds;

use edgewarm::job::{fixtures, Fate, Job, JobKind, JobSpec, PurgeType, Target};
use edgewarm::Service;
use edgewarm_sandbox::{Sandbox, SandboxConfig};

const T0: i64 = 1_700_000_000_000;

fn spec(service: Service, purge_type: PurgeType) -> JobSpec {
    let mut s = fixtures::spec(service, &creds(service).id);
    s.kind = JobKind::Purge { purge_type };
    if let Target::Edgeone {
        cache_tag_domains, ..
    } = &mut s.target
    {
        *cache_tag_domains = vec!["static.example.com".into()];
    }
    s
}

/// `n` entries of a purge type: directories, the sandbox's hosts, or tags.
fn entries(purge_type: PurgeType, service: Service, n: usize) -> Vec<String> {
    match purge_type {
        PurgeType::Path => (0..n)
            .map(|i| format!("https://www.example.com/{}/dir-{i}/", service.name()))
            .collect(),
        PurgeType::Host => ["www.example.com", "static.example.com"]
            .into_iter()
            .take(n)
            .map(String::from)
            .collect(),
        PurgeType::Tag => (0..n)
            .map(|i| format!("{}-tag-{i}", service.name()))
            .collect(),
        PurgeType::Url => unreachable!("URL purges are tested in refresh.rs"),
    }
}

/// Runs a purge job to the end and checks it: every entry succeeded and was purged exactly once
/// by the sandbox; no prefetch.
fn purge_all(service: Service, purge_type: PurgeType, n: usize) {
    let sb = Sandbox::new(SandboxConfig::default());
    let list = entries(purge_type, service, n);
    let mut job = Job::new(spec(service, purge_type), list.clone(), 7, T0);
    let (end, done) = common::drive_with(&mut job, &sb, &creds(service), T0, 0, None, &mut |_| {});
    assert!(done, "{service} {purge_type:?}");
    let p = job.progress(end);
    assert_eq!(
        (p.succeeded, p.failed, p.invalid),
        (list.len(), 0, 0),
        "{service} {purge_type:?}: {:?}",
        job.urls().iter().find(|u| u.fate != Fate::Succeeded)
    );
    let tasks = sb.tasks();
    assert!(
        tasks.iter().all(|t| t.purge),
        "{service}: nothing prefetched"
    );
    let mut targets: Vec<_> = tasks.iter().map(|t| t.target.clone()).collect();
    targets.sort();
    let mut want = list;
    want.sort();
    assert_eq!(
        targets, want,
        "{service} {purge_type:?}: each entry purged once"
    );
}

#[test]
fn prefix_purges_on_every_vendor() {
    for service in Service::ALL {
        purge_all(service, PurgeType::Path, 40);
    }
}

#[test]
fn host_and_tag_purges_where_the_vendor_has_them() {
    for service in [Service::Teo, Service::Esa] {
        purge_all(service, PurgeType::Host, 2);
        purge_all(service, PurgeType::Tag, 30);
    }
}

#[test]
fn kinds_a_vendor_lacks_and_tag_purges_without_domains_send_nothing() {
    let mut bare = spec(Service::Teo, PurgeType::Tag);
    if let Target::Edgeone {
        cache_tag_domains, ..
    } = &mut bare.target
    {
        cache_tag_domains.clear();
    }
    let cases = [
        (spec(Service::Cdn, PurgeType::Host), "kind.purgeType"),
        (spec(Service::Cdn, PurgeType::Tag), "kind.purgeType"),
        (bare, "target.cacheTagDomains"),
    ];
    for (spec, field) in cases {
        let sb = Sandbox::new(SandboxConfig::default());
        let service = spec.target.service();
        let mut job = Job::new(spec, vec!["a".into(), "b".into()], 1, T0);
        let (_, done) =
            common::drive_with(&mut job, &sb, &creds(service), T0, 0, None, &mut |_| {});
        assert!(done);
        assert!(
            sb.tasks().is_empty(),
            "{service}: nothing reached the sandbox"
        );
        for u in job.urls() {
            assert!(
                matches!(&u.fate, Fate::Invalid(r) if r.message.starts_with(field)),
                "{service}: {:?}",
                u.fate
            );
        }
    }
}
