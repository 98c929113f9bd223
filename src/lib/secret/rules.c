/*
 * lib/secret/rules.c - drydock's built-in secret rules (our own).
 *
 * Each rule: id, category, severity, title, prefilter keywords (lowercase,
 * '|'-separated), PCRE2 regex, capture group of the secret, minimum
 * entropy, flags (BINARY: also in binary files; GENERIC: an assignment
 * judged by stop-words and entropy), an optional path regex (credential
 * files recognised by name) and the confirmation window after a keyword.
 * Token formats come from the issuers' documentation of their prefixes
 * and lengths.
 */
#include "secret.h"

#define C  DD_SEV_CRITICAL
#define H  DD_SEV_HIGH
#define M  DD_SEV_MEDIUM
#define L  DD_SEV_LOW
#define B  DD_SR_BINARY
#define G  DD_SR_GENERIC
#define NB "(?![A-Za-z0-9_\\-])"  /* not followed by a token character */
#define PB "(?<![A-Za-z0-9_\\-])" /* not preceded by one */

#define PEM(id, what, label, sev)                                      \
    {                                                                  \
        id, "private-key", sev, what, "-----begin " label,             \
            "-----BEGIN " label "-----([\\s\\S]{40,}?)-----END " label \
            "-----",                                                   \
            1, 0, B, NULL, 16384, "-----END " label "-----"            \
    }

/* rules leave their trailing optional fields (`need`) zero */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const dd__secret_rule RULES[] = {
    /* ---- cloud ---- */
    {"aws-access-key-id", "cloud", C, "AWS access key ID",
     "akia|asia|abia|acca", PB "((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})" NB, 1,
     3.0, B, NULL, 0},
    {"aws-secret-access-key", "cloud", C, "AWS secret access key",
     "aws_secret|aws-secret|secret_access_key|secretaccesskey|aws secret",
     "(?i)aws.{0,20}?secret.{0,20}?['\"]?\\s*[:=]\\s*['\"]?([A-Za-z0-9/"
     "+=]{40})(?![A-Za-z0-9/+=])",
     1, 3.5, B, NULL, 0},
    {"aws-session-token", "cloud", H, "AWS session token",
     "aws_session_token|x-amz-security-token",
     "(?i)(?:aws_session_token|x-amz-security-token)['\"]?\\s*[:=]\\s*['\"]?(["
     "A-Za-z0-9/+=]{100,})",
     1, 4.0, 0, NULL, 0},
    {"gcp-service-account", "cloud", C, "Google Cloud service-account key",
     "service_account",
     "\"type\"\\s*:\\s*\"service_account\"[\\s\\S]{0,2000}?\"private_key\"\\s*:"
     "\\s*\"(-----BEGIN[^\"]{100,})\"",
     1, 0, 0, NULL, 4096},
    {"gcp-api-key", "cloud", H, "Google API key", "aiza",
     PB "(AIza[0-9A-Za-z_\\-]{35})" NB, 1, 3.5, B, NULL, 0},
    {"gcp-oauth-client-secret", "cloud", H, "Google OAuth client secret",
     "gocspx-", PB "(GOCSPX-[A-Za-z0-9_\\-]{28})" NB, 1, 3.5, 0, NULL, 0},
    {"azure-storage-account-key", "cloud", C, "Azure storage account key",
     "accountkey=", "(?i)AccountKey=([A-Za-z0-9+/]{86}==)", 1, 4.0, B, NULL, 0},
    {"azure-connection-string", "cloud", C,
     "Azure connection string with a shared access key", "sharedaccesskey=",
     "(?i)SharedAccessKey=([A-Za-z0-9+/]{40,}=*)", 1, 4.0, 0, NULL, 0},
    {"azure-sas-token", "cloud", H, "Azure shared access signature", "sig=",
     "(?i)(?:^|[?&;\\s\"'])sv=\\d{4}-\\d{2}-\\d{2}[^\\s\"'<>]{0,300}?[&;]sig=(["
     "A-Za-z0-9%/+=]{30,})",
     1, 0, 0, NULL, 0},
    {"azure-entra-client-secret", "cloud", H, "Microsoft Entra client secret",
     "q~", PB "([A-Za-z0-9_~.\\-]{3}\\dQ~[A-Za-z0-9_~.\\-]{31,34})" NB, 1, 3.5,
     0, NULL, 0},
    {"azure-devops-pat", "vcs", H, "Azure DevOps personal access token",
     "azure_devops|azdo|devops_pat|ado_pat|system_accesstoken",
     "(?i)(?:azure_devops\\w*|azdo\\w*|devops_pat|ado_pat|system_accesstoken)['"
     "\"]?\\s*[:=]\\s*['\"]?([a-z2-7]{52}|[A-Za-z0-9]{84})" NB,
     1, 3.5, 0, NULL, 0},
    {"azure-container-registry-password", "cloud", H,
     "Azure container registry password", "acr|azurecr.io",
     "(?i)(?:acr\\w*_?password|azurecr\\.io[^\\n]{0,80}?password)['\"]?\\s*[:=]"
     "\\s*['\"]?([A-Za-z0-9+/=]{32,52})(?![A-Za-z0-9+/=])",
     1, 3.5, 0, NULL, 0},
    {"alibaba-access-key-id", "cloud", H, "Alibaba Cloud access key ID", "ltai",
     PB "(LTAI[A-Za-z0-9]{20})" NB, 1, 3.0, B, NULL, 0},
    {"digitalocean-token", "cloud", C, "DigitalOcean token",
     "dop_v1_|doo_v1_|dor_v1_", PB "(do[por]_v1_[a-f0-9]{64})" NB, 1, 3.0, B,
     NULL, 0},
    {"ibm-cloud-api-key", "cloud", H, "IBM Cloud API key", "ibm|apikey",
     "(?i)ibm\\w*api_?key['\"]?\\s*[:=]\\s*['\"]?([A-Za-z0-9_\\-]{44})" NB, 1,
     3.5, 0, NULL, 0},
    {"heroku-api-key", "cloud", H, "Heroku API key", "heroku",
     "(?i)heroku\\w*['\"]?\\s*[:=]\\s*['\"]?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{"
     "4}-[0-9a-f]{4}-[0-9a-f]{12})",
     1, 0, 0, NULL, 0},
    {"hashicorp-vault-token", "cloud", C, "HashiCorp Vault token", "hvs.|hvb.",
     PB "(hv[sb]\\.[A-Za-z0-9_\\-]{90,})" NB, 1, 4.0, B, NULL, 0},
    {"terraform-cloud-token", "cloud", H, "Terraform Cloud / HCP token",
     ".atlasv1.", PB "([A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_\\-=]{60,70})" NB,
     1, 4.0, B, NULL, 0},
    {"pulumi-token", "cloud", H, "Pulumi access token", "pul-",
     PB "(pul-[a-f0-9]{40})" NB, 1, 3.0, B, NULL, 0},
    {"doppler-token", "cloud", H, "Doppler token", "dp.pt.|dp.st.|dp.sa.",
     PB "(dp\\.(?:pt|st|sa|scim|audit)\\.[A-Za-z0-9]{40,44})" NB, 1, 4.0, B,
     NULL, 0},
    {"fly-io-token", "cloud", H, "Fly.io access token", "fo1_|fm1",
     PB "(fo1_[A-Za-z0-9_\\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})" NB, 1,
     4.0, 0, NULL, 0},
    {"planetscale-token", "database", H, "PlanetScale token",
     "pscale_tkn_|pscale_pw_|pscale_oauth_",
     PB "(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_\\-\\.]{32,64})" NB, 1, 3.5, 0,
     NULL, 0},
    {"databricks-token", "cloud", H, "Databricks access token", "dapi",
     PB "(dapi[a-f0-9]{32}(?:-\\d)?)" NB, 1, 3.0, 0, NULL, 0},
    {"dynatrace-token", "saas", H, "Dynatrace API token", "dt0c01.",
     PB "(dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64})" NB, 1, 3.5, B, NULL, 0},
    /* ---- version control and CI ---- */
    {"github-pat", "vcs", C, "GitHub personal access token", "ghp_",
     PB "(ghp_[A-Za-z0-9]{36})" NB, 1, 3.0, B, NULL, 0},
    {"github-oauth-token", "vcs", C, "GitHub OAuth access token", "gho_",
     PB "(gho_[A-Za-z0-9]{36})" NB, 1, 3.0, B, NULL, 0},
    {"github-app-token", "vcs", C, "GitHub App token", "ghu_|ghs_",
     PB "(gh[us]_[A-Za-z0-9]{36})" NB, 1, 3.0, B, NULL, 0},
    {"github-refresh-token", "vcs", C, "GitHub refresh token", "ghr_",
     PB "(ghr_[A-Za-z0-9]{36,76})" NB, 1, 3.0, B, NULL, 0},
    {"github-fine-grained-pat", "vcs", C, "GitHub fine-grained token",
     "github_pat_", PB "(github_pat_[A-Za-z0-9_]{82})" NB, 1, 3.5, B, NULL, 0},
    {"gitlab-pat", "vcs", C, "GitLab personal access token", "glpat-",
     PB "(glpat-[A-Za-z0-9_\\-]{20,})" NB, 1, 3.0, B, NULL, 0},
    {"gitlab-pipeline-trigger-token", "vcs", H, "GitLab pipeline trigger token",
     "glptt-", PB "(glptt-[0-9a-f]{40})" NB, 1, 3.0, B, NULL, 0},
    {"gitlab-runner-token", "vcs", H, "GitLab runner token", "glrt-|gr1348941",
     PB "(glrt-[A-Za-z0-9_\\-]{20,}|GR1348941[A-Za-z0-9_\\-]{20})" NB, 1, 3.0,
     B, NULL, 0},
    {"gitlab-deploy-token", "vcs", H, "GitLab deploy token", "gldt-",
     PB "(gldt-[A-Za-z0-9_\\-]{20,})" NB, 1, 3.0, B, NULL, 0},
    {"bitbucket-app-password", "vcs", H, "Bitbucket app password", "atbb",
     PB "(ATBB[A-Za-z0-9_=.\\-]{32})" NB, 1, 3.5, B, NULL, 0},
    {"atlassian-api-token", "saas", H, "Atlassian API token", "atatt3",
     PB "(ATATT3[A-Za-z0-9_\\-=]{186})" NB, 1, 4.0, B, NULL, 0},
    {"npm-token", "package-registry", C, "npm access token", "npm_",
     PB "(npm_[A-Za-z0-9]{36})" NB, 1, 3.0, B, NULL, 0},
    {"npmrc-auth-token", "package-registry", C, "npm registry credentials",
     "_authtoken|_auth=|_password=",
     "(?im)(?:_authToken|_auth|_password)\\s*=\\s*['\"]?([^\\s'\"$]{8,})", 1,
     2.5, 0, "(^|/)\\.npmrc$", 0},
    {"pypi-token", "package-registry", C, "PyPI upload token",
     "pypi-ageichlwas5vcmc", PB "(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\\-]{50,})" NB,
     1, 4.0, B, NULL, 0},
    {"pypirc-password", "package-registry", H, "PyPI credentials in .pypirc",
     "password", "(?im)^\\s*password\\s*[:=]\\s*(\\S{6,})", 1, 0, 0,
     "(^|/)\\.pypirc$", 0},
    {"packagist-token", "package-registry", H, "Private Packagist token",
     "packagist_", PB "(packagist_[ou][ru]t_[A-Za-z0-9]{68})" NB, 1, 3.0, B,
     NULL, 0},
    {"azure-ai-services-key", "cloud", H, "Azure AI services key", "jqqj99",
     PB "([A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{18}ACOG[A-Za-z0-9]{4})" NB, 1, 3.5,
     0, NULL, 0},
    {"azure-acr-token", "container-registry", H,
     "Azure container registry token", "jqqj99",
     PB "([A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{18}AZCR[A-Za-z0-9]{4})" NB, 1, 3.5,
     0, NULL, 0},
    {"azure-app-config-connection-string", "cloud", H,
     "Azure App Configuration connection string", ".azconfig.io",
     "(?i)Endpoint=https://"
     "[a-z0-9\\-]+\\.azconfig\\.io;Id=[^;\\s]+;Secret=([A-Za-z0-9+/=]{20,})",
     1, 3.5, 0, NULL, 0},
    {"rubygems-token", "package-registry", H, "RubyGems API key", "rubygems_",
     PB "(rubygems_[a-f0-9]{48})" NB, 1, 3.0, B, NULL, 0},
    {"docker-hub-pat", "container-registry", C, "Docker Hub access token",
     "dckr_pat_|dckr_oat_", PB "(dckr_(?:pat|oat)_[A-Za-z0-9_\\-]{27,})" NB, 1,
     3.0, B, NULL, 0},
    {"docker-config-auth", "container-registry", C,
     "registry credentials in a docker config.json", "\"auth\"",
     "\"auth\"\\s*:\\s*\"([A-Za-z0-9+/]{8,}={0,2})\"", 1, 2.5, 0,
     "(^|/)(\\.docker/config\\.json|\\.dockercfg|config\\.json)$", 0},
    {"jfrog-token", "package-registry", H, "JFrog Artifactory token",
     "akcp|cmvmdg", PB "(AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56})" NB, 1,
     4.0, B, NULL, 0},
    {"sonarqube-token", "vcs", H, "SonarQube token", "sqp_|squ_|sqa_",
     PB "(sq[pua]_[a-f0-9]{40})" NB, 1, 3.0, B, NULL, 0},
    {"circleci-token", "ci", H, "CircleCI token", "circle",
     "(?i)circle\\w*token['\"]?\\s*[:=]\\s*['\"]?([a-f0-9]{40})" NB, 1, 3.0, 0,
     NULL, 0},
    /* ---- chat, payment, SaaS ---- */
    {"slack-bot-token", "chat", C, "Slack bot token", "xoxb-",
     PB "(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})" NB, 1, 3.0, B,
     NULL, 0},
    {"slack-user-token", "chat", C, "Slack user token", "xoxp-|xoxe",
     PB "(xox(?:p|e(?:\\.xox[bp])?-\\d)-[0-9A-Za-z\\-]{40,})" NB, 1, 3.0, B,
     NULL, 0},
    {"slack-app-token", "chat", H, "Slack app-level token", "xapp-",
     PB "(xapp-\\d-[A-Z0-9]+-\\d+-[a-f0-9]{64})" NB, 1, 3.0, B, NULL, 0},
    {"slack-webhook", "chat", H, "Slack incoming webhook", "hooks.slack.com",
     "(https://hooks\\.slack\\.com/(?:services|workflows)/T[A-Z0-9]{8,}/"
     "[AB][A-Z0-9]{8,}/[A-Za-z0-9]{20,})",
     1, 0, B, NULL, 0},
    {"discord-webhook", "chat", H, "Discord webhook", "/api/webhooks/",
     "(https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/"
     "\\d{15,20}/[A-Za-z0-9_\\-]{60,70})",
     1, 0, B, NULL, 0},
    {"telegram-bot-token", "chat", H, "Telegram bot token", ":aa",
     PB "(\\d{8,10}:AA[A-Za-z0-9_\\-]{33})" NB, 1, 3.5, 0, NULL, 0},
    {"microsoft-teams-webhook", "chat", H, "Microsoft Teams webhook",
     "webhook.office.com",
     "(https://[a-z0-9]+\\.webhook\\.office\\.com/webhookb2/"
     "[a-f0-9\\-]{36}@[a-f0-9\\-]{36}/IncomingWebhook/[a-f0-9]{32}/"
     "[a-f0-9\\-]{36})",
     1, 0, 0, NULL, 0},
    {"stripe-secret-key", "payment", C, "Stripe live secret key",
     "sk_live_|rk_live_", PB "([sr]k_live_[A-Za-z0-9]{24,99})" NB, 1, 3.0, B,
     NULL, 0},
    {"stripe-test-key", "payment", L, "Stripe test secret key", "sk_test_",
     PB "(sk_test_[A-Za-z0-9]{24,99})" NB, 1, 3.0, 0, NULL, 0},
    {"square-token", "payment", C, "Square access token or secret",
     "sq0atp-|sq0csp-|eaaa",
     PB "(sq0atp-[0-9A-Za-z\\-_]{22}|sq0csp-[0-9A-Za-z\\-_]{43}|EAAA[A-Za-z0-9_"
        "\\-]{60})" NB,
     1, 3.5, B, NULL, 0},
    {"paypal-braintree-token", "payment", C, "PayPal Braintree access token",
     "access_token$production$",
     "(access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32})", 1, 0, B, NULL,
     0},
    {"shopify-token", "saas", H, "Shopify access token",
     "shpat_|shpca_|shppa_|shpss_",
     PB "(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" NB, 1, 3.0, B, NULL, 0},
    {"twilio-api-key", "saas", H, "Twilio API key", "twilio",
     "(?i)twilio[\\s\\S]{0,60}?" PB "(SK[0-9a-fA-F]{32})" NB, 1, 3.0, 0, NULL,
     0},
    {"sendgrid-api-key", "saas", H, "SendGrid API key", "sg.",
     PB "(SG\\.[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43})" NB, 1, 4.0, B, NULL,
     0},
    {"mailgun-api-key", "saas", H, "Mailgun API key", "mailgun|key-",
     "(?i)mailgun[\\s\\S]{0,60}?" PB "(key-[0-9a-f]{32})" NB, 1, 3.0, 0, NULL,
     0},
    {"mailchimp-api-key", "saas", H, "Mailchimp API key", "-us",
     PB "([0-9a-f]{32}-us\\d{1,2})" NB, 1, 3.0, 0, NULL, 0},
    {"openai-api-key", "ai", C, "OpenAI API key", "t3blbkfj",
     PB "(sk-(?:proj-|svcacct-|admin-|None-|service-[A-Za-z0-9]{1,40}-)?[A-Za-"
        "z0-9_]{16,}T3BlbkFJ[A-Za-z0-9_\\-]{16,})" NB,
     1, 3.5, B, NULL, 0},
    {"anthropic-api-key", "ai", C, "Anthropic API key", "sk-ant-",
     PB "(sk-ant-(?:api|admin)\\d\\d-[A-Za-z0-9_\\-]{80,110})" NB, 1, 3.5, B,
     NULL, 0},
    {"huggingface-token", "ai", H, "Hugging Face access token", "hf_",
     PB "(hf_[A-Za-z0-9]{34})" NB, 1, 3.5, B, NULL, 0},
    {"grafana-token", "saas", H, "Grafana token", "glc_|glsa_|eyjrijoi",
     PB "(glc_[A-Za-z0-9+/"
        "]{32,}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{"
        "70,}={0,2})" NB,
     1, 3.5, B, NULL, 0},
    {"new-relic-key", "saas", H, "New Relic API key", "nrak-|nrjs-|nrii-",
     PB "(NR(?:AK|JS|II)-[A-Za-z0-9]{19,27})" NB, 1, 3.0, B, NULL, 0},
    {"datadog-api-key", "saas", H, "Datadog API or application key",
     "datadog|dd_api_key|dd_app_key",
     "(?i)(?:datadog\\w*|dd_api_key|dd_app_key)['\"]?\\s*[:=]\\s*['\"]?([a-f0-"
     "9]{32}|[a-f0-9]{40})" NB,
     1, 3.0, 0, NULL, 0},
    {"sentry-token", "saas", H, "Sentry auth token", "sntrys_|sntryu_",
     PB "(sntry[su]_[A-Za-z0-9_=+/]{40,})" NB, 1, 4.0, B, NULL, 0},
    {"linear-api-key", "saas", H, "Linear API key", "lin_api_",
     PB "(lin_api_[A-Za-z0-9]{40})" NB, 1, 3.5, B, NULL, 0},
    {"postman-api-key", "saas", H, "Postman API key", "pmak-",
     PB "(PMAK-[a-f0-9]{24}-[a-f0-9]{34})" NB, 1, 3.0, B, NULL, 0},
    {"airtable-token", "saas", H, "Airtable personal access token", "pat",
     PB "(pat[A-Za-z0-9]{14}\\.[a-f0-9]{64})" NB, 1, 3.5, 0, NULL, 0},
    {"contentful-token", "saas", H, "Contentful personal access token",
     "cfpat-", PB "(CFPAT-[A-Za-z0-9_\\-]{43})" NB, 1, 3.5, B, NULL, 0},
    {"mapbox-secret-token", "saas", H, "Mapbox secret token", "sk.eyj",
     PB "(sk\\.eyJ[A-Za-z0-9_\\-]{50,}\\.[A-Za-z0-9_\\-]{20,})" NB, 1, 4.0, B,
     NULL, 0},
    {"facebook-access-token", "saas", H, "Facebook access token", "eaab|eaac",
     PB "(EAA[BC][A-Za-z0-9]{100,})" NB, 1, 4.0, 0, NULL, 0},
    {"twitter-bearer-token", "saas", H, "Twitter/X bearer token",
     "twitter|bearer",
     "(?i)(?:twitter|bearer)[\\s\\S]{0,40}?(A{20,22}[A-Za-z0-9%]{60,120})(?![A-"
     "Za-z0-9%+/=])",
     1, 3.5, 0, NULL, 0},
    {"okta-token", "identity", H, "Okta API token", "okta",
     "(?i)okta\\w*['\"]?\\s*[:=]\\s*['\"]?(00[A-Za-z0-9_\\-]{40})" NB, 1, 3.5,
     0, NULL, 0},
    {"age-secret-key", "private-key", C, "age secret key", "age-secret-key-1",
     "(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})", 1, 0, B, NULL,
     0},
    /* ---- private keys ---- */
    PEM("private-key-rsa", "RSA private key", "RSA PRIVATE KEY", C),
    PEM("private-key-ec", "EC private key", "EC PRIVATE KEY", C),
    PEM("private-key-dsa", "DSA private key", "DSA PRIVATE KEY", C),
    PEM("private-key-pkcs8", "PKCS#8 private key", "PRIVATE KEY", C),
    PEM("private-key-pkcs8-encrypted",
        "encrypted PKCS#8 private key (passphrase-protected)",
        "ENCRYPTED PRIVATE KEY",
        M),
    PEM("private-key-openssh", "OpenSSH private key", "OPENSSH PRIVATE KEY", C),
    PEM("private-key-pgp", "PGP private key block", "PGP PRIVATE KEY BLOCK", C),
    {"private-key-putty", "private-key", C, "PuTTY private key",
     "putty-user-key-file-",
     "PuTTY-User-Key-File-\\d: [^\\r\\n]+[\\s\\S]{0,400}?Private-Lines: "
     "\\d+\\r?\\n([A-Za-z0-9+/=\\r\\n]{40,})",
     1, 0, B, NULL, 8192},
    {"kubeconfig-client-key", "private-key", C,
     "client private key in a kubeconfig", "client-key-data",
     "client-key-data:\\s*['\"]?([A-Za-z0-9+/]{100,}={0,2})", 1, 4.0, 0, NULL,
     8192},
    {"kubeconfig-token", "identity", H, "token in a kubeconfig", "token:",
     "(?m)^\\s*(?:token|id-token|refresh-token):\\s*['\"]?([A-Za-z0-9_\\-\\.]{"
     "20,})",
     1, 3.5, 0, "(^|/)(\\.kube/config|kubeconfig[^/]*)$", 0},
    /* ---- JWT ---- */
    {"jwt", "token", M, "JSON Web Token", "eyj",
     PB "(eyJ[A-Za-z0-9_\\-]{10,}\\.eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{"
        "16,})" NB,
     1, 3.5, 0, NULL, 0},
    /* ---- credentials in URLs and credential files ---- */
    {"database-url-password", "database", H,
     "database connection URL with a password", "://",
     "(?i)\\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?"
     "|mssql|sqlserver|oracle|cockroachdb|clickhouse)://[^:@/"
     "\\s'\"]{1,64}:([^@/\\s'\"]{3,128})@[A-Za-z0-9.\\-_\\[\\]]+",
     1, 0, G, NULL, 0},
    {"url-basic-auth-password", "credential", M, "password in a URL", "://",
     "(?i)\\bhttps?://[A-Za-z0-9._%\\-]{1,64}:([^@/"
     "\\s'\"]{6,128})@[A-Za-z0-9.\\-]+",
     1, 2.8, G, NULL, 0},
    {"git-credentials", "vcs", H, "stored git credentials", "://",
     "https?://[^:\\s/]+:([^@\\s]{4,})@", 1, 0, 0, "(^|/)\\.git-credentials$",
     0},
    {"netrc-password", "credential", H, "password in a .netrc", "password",
     "(?i)machine\\s+\\S+\\s+(?:login\\s+\\S+\\s+)?password\\s+(\\S+)", 1, 0, 0,
     "(^|/)[._]netrc$", 0},
    {"pgpass-password", "database", H, "password in a .pgpass", ":",
     "(?m)^[^:#\\n]+:[^:\\n]+:[^:\\n]+:[^:\\n]+:([^\\n]{4,})$", 1, 0, 0,
     "(^|/)\\.pgpass$", 0},
    {"htpasswd-hash", "credential", M, "password hash in an .htpasswd", ":",
     "(?m)^[^:\\s#]+:(\\$apr1\\$[./0-9A-Za-z]{1,8}\\$[./"
     "0-9A-Za-z]{22}|\\$2[aby]\\$\\d\\d\\$[./"
     "0-9A-Za-z]{53}|\\{SHA\\}[A-Za-z0-9+/=]{28})",
     1, 0, 0, "(^|/)\\.htpasswd$", 0},
    {"shadow-password-hash", "credential", H,
     "a real password hash in /etc/shadow", ":$",
     "(?m)^([a-z_][a-z0-9_\\-]*\\$?):(\\$(?:1|2[abxy]?|5|6|y|gy|7)\\$[^:\\n]{8,"
     "}):",
     2, 0, 0, "^etc/shadow-?$", 0},
    {"ssh-authorized-key", "access", M,
     "SSH authorized_keys baked into the image (a login backdoor)",
     "ssh-|ecdsa-sha2-",
     "(?m)^(?:[^#\\n]*\\s)?((?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\\d+|sk-"
     "(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)\\s+AAAA[A-Za-z0-9+/"
     "]{60,}={0,2})",
     1, 0, 0, "(^|/)authorized_keys2?$", 0},
    {"aws-credentials-file", "cloud", C,
     "AWS secret access key in a credentials file", "aws_secret_access_key",
     "(?i)aws_secret_access_key\\s*=\\s*(\\S{20,})", 1, 3.0, 0,
     "(^|/)\\.aws/credentials$", 0},
    /* ---- generic assignments in configuration ---- */
    {"generic-password", "generic", M, "password in a configuration value",
     "password|passwd|pwd",
     "(?i)(?:^|[\\s\"'{,;$(_\\-.])(?:[a-z0-9_\\-.]*(?:password|passwd|pwd))['"
     "\"]?\\s*(?:[:=]|=>|:=)\\s*(?:'([^'\\n]{4,80})'|\"([^\"\\n]{4,80})\"|([^"
     "\\s'\"#;,<>]{6,80}))",
     0, 0, G, NULL, 0},
    {"xml-password", "generic", M, "password in an XML element",
     "<password|<passphrase|<master",
     "(?i)<(?:password|passphrase|master|masterpassword)>\\s*([^<\\s]{4,80}?)"
     "\\s*</",
     1, 0, G, NULL, 0},
    {"generic-secret", "generic", M,
     "secret or API key in a configuration value",
     "secret|api_key|apikey|api-key|access_token|auth_token|private_key|client_"
     "secret",
     "(?i)(?:^|[\\s\"'{,;$(_\\-.])(?:[a-z0-9_\\-.]*(?:secret|api_?key|api-key|"
     "access_token|auth_token|private_key|client_secret)[a-z0-9_\\-.]*)['\"]?"
     "\\s*(?:[:=]|=>|:=)\\s*['\"]?([A-Za-z0-9_\\-+/=.]{16,120})['\"]?",
     1, 3.2, G, NULL, 0},
};

const dd__secret_rule *dd__secret_builtin(size_t *n)
{
    *n = sizeof RULES / sizeof *RULES;
    return RULES;
}
