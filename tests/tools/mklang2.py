#!/usr/bin/env python3
"""tests/tools/mklang2.py OUT.tar [EXTRA_ROOT] - a docker-archive image
with the installed metadata of Ruby gems, Composer packages, a .NET
application and a conda environment, in two layers, plus crafted and
truncated files. Standard library only.

Layer 0 ("gem install"): os-release, RubyGems specifications (installed
gems, default gems, Debian's rubygems-integration and /var/lib/gems
trees, in the forms RubyGems and hand-written specs use), and the
files of EXTRA_ROOT (a directory, e.g. a Debian package extracted by the
test) if given. Layer 1 ("composer install && dotnet publish"): Composer
1 and 2 installed.json, a deps.json, conda-meta and the broken files.

Prints the expected package list, one line per package:
  TYPE<TAB>PATH<TAB>NAME<TAB>VERSION<TAB>PURL<TAB>LAYER<TAB>LICENSE|-<TAB>DEV
and then "WARN<TAB>PATH<TAB>LAYER" for each file that must be reported as
unreadable."""
import hashlib, io, json, os, sys, tarfile

EXPECT = []
WARN = []


def pkg(t, path, name, ver, purl, layer, lic=None, dev=0):
    EXPECT.append((t, path, name, ver, purl, str(layer), lic or "-", str(dev)))


L0, L1 = {}, {}

L0["etc/os-release"] = 'ID=debian\nVERSION_ID="12"\n'

# --- RubyGems: the form `gem install` writes (Gem::Specification#to_ruby)
L0["usr/local/bundle/specifications/rack-2.2.3.gemspec"] = '''# -*- encoding: utf-8 -*-
# stub: rack 2.2.3 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.3"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.metadata = { "bug_tracker_uri" => "https://example.invalid/rack/issues", "changelog_uri" => "x" } if s.respond_to? :metadata=
  s.require_paths = ["lib".freeze]
  s.authors = ["Leah Neukirchen".freeze]
  s.date = "2020-06-15"
  s.description = "Rack provides a minimal, modular and adaptable interface for developing\\nweb applications in Ruby.  s.name = \\"evil\\"\\n".freeze
  s.email = "leah@vuxu.org".freeze
  s.licenses = ["MIT".freeze]
  s.rubygems_version = "3.4.10".freeze
  s.summary = "a modular Ruby webserver interface".freeze

  s.installed_by_version = "3.4.10" if s.respond_to? :installed_by_version

  if s.respond_to? :specification_version then
    s.specification_version = 4
  end

  if s.respond_to? :add_runtime_dependency then
    s.add_development_dependency(%q<minitest>.freeze, ["~> 5.0"])
  else
    s.add_dependency(%q<minitest>.freeze, ["~> 5.0"])
  end
end
'''
pkg("gem", "usr/local/bundle/specifications/rack-2.2.3.gemspec", "rack", "2.2.3",
    "pkg:gem/rack@2.2.3", 0, "MIT")

# a platform gem, two licenses, Gem::Version.new, the old %q{} strings
L0["usr/local/bundle/specifications/nokogiri-1.13.10-x86_64-linux.gemspec"] = '''# -*- encoding: utf-8 -*-
# stub: nokogiri 1.13.10 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = %q{nokogiri}
  s.version = Gem::Version.new("1.13.10")
  s.platform = "x86_64-linux".freeze
  s.licenses = ["MIT".freeze, "Apache-2.0".freeze]
end
'''
pkg("gem", "usr/local/bundle/specifications/nokogiri-1.13.10-x86_64-linux.gemspec",
    "nokogiri", "1.13.10", "pkg:gem/nokogiri@1.13.10", 0, "MIT OR Apache-2.0")

# a default gem, with a prerelease version and a heredoc description
# that holds assignments and an unbalanced quote
L0["usr/local/lib/ruby/gems/3.2.0/specifications/default/json-2.7.0.pre.1.gemspec"] = '''# -*- encoding: utf-8 -*-
# stub: json 2.7.0.pre.1 ruby lib

Gem::Specification.new do |s|
  s.description = <<~EOS
    It's JSON; s.name = "not-json"
    s.version = "0"
  EOS
  s.name = "json".freeze
  s.version = "2.7.0.pre.1"
  s.license = "Ruby"
end
'''
pkg("gem", "usr/local/lib/ruby/gems/3.2.0/specifications/default/json-2.7.0.pre.1.gemspec",
    "json", "2.7.0.pre.1", "pkg:gem/json@2.7.0.pre.1", 0, "Ruby")

# a hand-written spec (Debian's rubygems-integration keeps some): the
# version is a constant, the stub line is absent: the file name gives it
L0["usr/share/rubygems-integration/all/specifications/ruby-progressbar-1.11.0.gemspec"] = '''# frozen_string_literal: true
=begin
spec.name = "commented-out"
=end
require_relative "lib/ruby-progressbar/version"

Gem::Specification.new do |spec|
  spec.name          = 'ruby-progressbar'
  spec.version       = ProgressBar::VERSION
  spec.authors       = ["Jeff Felchner", 'Jeff\\'s friend']
  spec.files         = Dir['{lib}/**/*'].reject { |f| f =~ /["']/ }
  spec.license       = 'MIT'
end
'''
pkg("gem", "usr/share/rubygems-integration/all/specifications/ruby-progressbar-1.11.0.gemspec",
    "ruby-progressbar", "1.11.0", "pkg:gem/ruby-progressbar@1.11.0", 0, "MIT")

# /var/lib/gems (Debian's `gem install` path), the { |s| } block form
L0["var/lib/gems/3.1.0/specifications/rake-13.0.6.gemspec"] = (
    'Gem::Specification.new { |s| s.name = "rake"; s.version = "13.0.6"; '
    's.licenses = %w[MIT] }\n')
pkg("gem", "var/lib/gems/3.1.0/specifications/rake-13.0.6.gemspec", "rake", "13.0.6",
    "pkg:gem/rake@13.0.6", 0, "MIT")

# not installed metadata: a gem's own source tree
L0["usr/local/bundle/gems/rack-2.2.3/rack.gemspec"] = 'Gem::Specification.new do |s|\n  s.name = "rack-src"\n  s.version = "0.0.1"\nend\n'

# crafted: no name, no stub, a file name without a version
L0["usr/local/bundle/specifications/broken.gemspec"] = 'Gem::Specification.new do |s|\n  s.name = NAME\n  s.version = "1.0'
WARN.append(("usr/local/bundle/specifications/broken.gemspec", "0"))

# --- Composer 2 (layer 1)
c2 = {"packages": [
    {"name": "symfony/http-kernel", "version": "v5.4.0", "version_normalized": "5.4.0.0",
     "type": "library", "license": ["MIT"], "install-path": "../symfony/http-kernel"},
    {"name": "monolog/monolog", "version": "2.3.5", "license": ["MIT"]},
    {"name": "phpunit/phpunit", "version": "9.5.10", "license": ["BSD-3-Clause"]},
    {"name": "Dual/Licensed", "version": "1.0.0-beta2", "license": ["LGPL-2.1-only", "GPL-3.0-or-later"]},
    {"name": "no/version"},
], "dev": True, "dev-package-names": ["phpunit/phpunit"]}
L1["var/www/app/vendor/composer/installed.json"] = json.dumps(c2, indent=4)
P = "var/www/app/vendor/composer/installed.json"
pkg("composer", P, "symfony/http-kernel", "5.4.0", "pkg:composer/symfony/http-kernel@5.4.0", 1, "MIT")
pkg("composer", P, "monolog/monolog", "2.3.5", "pkg:composer/monolog/monolog@2.3.5", 1, "MIT")
pkg("composer", P, "phpunit/phpunit", "9.5.10", "pkg:composer/phpunit/phpunit@9.5.10", 1, "BSD-3-Clause", 1)
pkg("composer", P, "Dual/Licensed", "1.0.0-beta2", "pkg:composer/dual/licensed@1.0.0-beta2", 1,
    "LGPL-2.1-only OR GPL-3.0-or-later")
WARN.append((P, "1"))  # one entry without a version, skipped

# Composer 1: a top-level array
c1 = [{"name": "guzzlehttp/guzzle", "version": "6.5.5", "license": ["MIT"]},
      {"name": "laravel/framework", "version": "V8.0.0", "license": "MIT"}]
L1["srv/legacy/vendor/composer/installed.json"] = json.dumps(c1)
P = "srv/legacy/vendor/composer/installed.json"
pkg("composer", P, "guzzlehttp/guzzle", "6.5.5", "pkg:composer/guzzlehttp/guzzle@6.5.5", 1, "MIT")
pkg("composer", P, "laravel/framework", "8.0.0", "pkg:composer/laravel/framework@8.0.0", 1, "MIT")

# truncated Composer file
L1["srv/cut/vendor/composer/installed.json"] = json.dumps(c2)[:150]
WARN.append(("srv/cut/vendor/composer/installed.json", "1"))

# --- .NET: a self-contained app's deps.json
deps = {
    "runtimeTarget": {"name": ".NETCoreApp,Version=v8.0/linux-x64", "signature": ""},
    "compilationOptions": {},
    "targets": {
        ".NETCoreApp,Version=v8.0": {
            "WebApp/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}},
            "Newtonsoft.Json/13.0.1": {}, "OnlyInPortable/1.0.0": {}},
        ".NETCoreApp,Version=v8.0/linux-x64": {
            "WebApp/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"},
                             "runtime": {"WebApp.dll": {}}},
            "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"runtime": {}},
            "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {}}},
            "System.Text.Encodings.Web/4.7.1": {}}},
    "libraries": {
        "WebApp/1.0.0": {"type": "project", "serviceable": False, "sha512": ""},
        "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0":
            {"type": "runtimepack", "serviceable": False, "sha512": ""},
        "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": True,
                                   "sha512": "sha512-x", "path": "newtonsoft.json/13.0.1"},
        "System.Text.Encodings.Web/4.7.1": {"type": "package", "serviceable": True},
        "OnlyInPortable/1.0.0": {"type": "package"}}}
L1["app/WebApp.deps.json"] = json.dumps(deps, indent=2)
pkg("nuget", "app/WebApp.deps.json", "Newtonsoft.Json", "13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1", 1)
pkg("nuget", "app/WebApp.deps.json", "System.Text.Encodings.Web", "4.7.1",
    "pkg:nuget/System.Text.Encodings.Web@4.7.1", 1)
L1["app/Other.deps.json"] = '{"libraries": 7}'
WARN.append(("app/Other.deps.json", "1"))

# --- conda
for n, v, lic in (("openssl", "3.0.8", "Apache-2.0"), ("zlib", "1.2.13", "Zlib"),
                  ("python", "3.11.4", None)):
    d = {"name": n, "version": v, "build": "h0_0", "build_number": 0, "channel": "x",
         "files": ["lib/lib%s.so" % n], "depends": []}
    if lic:
        d["license"] = lic
    p = "opt/conda/conda-meta/%s-%s-h0_0.json" % (n, v)
    L1[p] = json.dumps(d)
    pkg("conda", p, n, v, "pkg:conda/%s@%s" % (n, v), 1, lic)
L1["opt/conda/conda-meta/history"] = "==> 2024-01-01 <==\n"
L1["opt/conda/conda-meta/bad-1-0.json"] = '{"name": "bad"}'
WARN.append(("opt/conda/conda-meta/bad-1-0.json", "1"))


def layer_tar(files, extra=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        dirs = set()
        for name in sorted(files):
            parts = name.split("/")
            for i in range(1, len(parts)):
                dirs.add("/".join(parts[:i]))
        for d in sorted(dirs):
            ti = tarfile.TarInfo(d)
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o755
            tf.addfile(ti)
        for name in sorted(files):
            data = files[name].encode() if isinstance(files[name], str) else files[name]
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            tf.addfile(ti, io.BytesIO(data))
        if extra:
            for root, ds, fs in os.walk(extra):
                ds.sort()
                for f in sorted(fs):
                    full = os.path.join(root, f)
                    if os.path.isfile(full) and not os.path.islink(full):
                        tf.add(full, arcname=os.path.relpath(full, extra), recursive=False)
    return buf.getvalue()


def main():
    out = sys.argv[1]
    extra = sys.argv[2] if len(sys.argv) > 2 else None
    layers = [layer_tar(L0, extra), layer_tar(L1)]
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    cfg = {"architecture": "amd64", "os": "linux", "created": "2024-06-01T00:00:00Z",
           "config": {}, "rootfs": {"type": "layers", "diff_ids": diff_ids},
           "history": [{"created": "2024-06-01T00:00:00Z", "created_by": "gem install"},
                       {"created": "2024-06-01T00:00:00Z",
                        "created_by": "composer install && dotnet publish"}]}
    cdata = json.dumps(cfg).encode()
    cname = hashlib.sha256(cdata).hexdigest() + ".json"
    lnames = ["%s/layer.tar" % d[7:] for d in diff_ids]
    manifest = [{"Config": cname, "RepoTags": ["lang2:test"], "Layers": lnames}]
    with tarfile.open(out, "w") as img:
        for n, data in [(cname, cdata), ("manifest.json", json.dumps(manifest).encode())] + \
                list(zip(lnames, layers)):
            ti = tarfile.TarInfo(n)
            ti.size = len(data)
            img.addfile(ti, io.BytesIO(data))
    for e in EXPECT:
        print("\t".join(e))
    for w in WARN:
        print("WARN\t%s\t%s" % w)


main()
