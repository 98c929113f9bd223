#!/usr/bin/env python3
"""Write the seed corpora of fuzz_lang_npm (first byte: 0 package.json,
1 package-lock.json, 2 a path), fuzz_lang_python (first byte: 0 whole
file, 1 truncated), fuzz_lang_ruby (0 gemspec with a file name, 1
without, 2 a path), fuzz_lang_composer (0 installed.json, 1 conda-meta
JSON, 2 a path), fuzz_lang_dotnet (0 deps.json, 1 a path) and extra
fuzz_version seeds for the rubygems, composer, nuget and go orders.
usage: make-lang-seeds.py CORPUS_DIR"""
import hashlib
import os
import sys

out = os.path.join(sys.argv[1], "fuzz_lang_npm")
os.makedirs(out, exist_ok=True)
seeds = [
    b'\0{"name":"lodash","version":"4.17.15","license":"MIT"}',
    b'\0{"name":"@types/node","version":"20.1.0","license":{"type":"MIT"}}',
    b'\0{"name":"x","version":"1.0.0","licenses":[{"type":"BSD"}]}',
    b'\0{"name":"x"}',
    b'\0{"name":"a\\u0000b","version":"1"}',
    b'\0[1,2,3]',
    b'\0{"name":"x","version":"1.0.0"',
    b'\1{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"dev":true},'
    b'"node_modules/a/node_modules/b":{"devOptional":true}}}',
    b'\1{"lockfileVersion":1,"dependencies":{"a":{"version":"1","dev":true,'
    b'"dependencies":{"b":{"version":"2"}}}}}',
    b'\1{"lockfileVersion":2}',
    b'\1' + b'{"dependencies":' + b'{"x":{"dependencies":' * 80 + b'{}' +
    b'}}' * 80 + b'}',
    b'\2app/node_modules/@scope/name/package.json',
    b'\2node_modules/a/node_modules/b/package.json',
    b'\2app/node_modules/a/lib/package.json',
    b'\2node_modules/.bin/package.json',
    b'\2/node_modules/@/package.json',
]
for s in seeds:
    with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as f:
        f.write(s)

py = os.path.join(sys.argv[1], "fuzz_lang_python")
os.makedirs(py, exist_ok=True)
pseeds = [
    b"\0Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"
    b"License: Apache 2.0\n  continued\n\nlong description\n",
    b"\0Name: x\r\nVersion: 1\r\nLicense-Expression: MIT\r\n\r\n",
    b"\1Name: x\nVersion: 1\nSumm",
    b"\1\xef\xbb\xbfName: x\nVersion: 1\n\n",
    b"\0Version: 1\n",
    b"\0Name x\n",
    b"\0x/pip-23.0.1.dist-info/METADATA",
    b"\0x/a.egg/EGG-INFO/PKG-INFO",
]
for s in pseeds:
    with open(os.path.join(py, hashlib.sha1(s).hexdigest()), "wb") as f:
        f.write(s)


def write(target, seeds):
    d = os.path.join(sys.argv[1], target)
    os.makedirs(d, exist_ok=True)
    for s in seeds:
        with open(os.path.join(d, hashlib.sha1(s).hexdigest()), "wb") as f:
            f.write(s)


GEMSPEC = (b'# -*- encoding: utf-8 -*-\n# stub: rack 2.2.3 ruby lib\n\n'
           b'Gem::Specification.new do |s|\n  s.name = "rack".freeze\n'
           b'  s.version = "2.2.3"\n  s.metadata = { "a" => "b" } if s.respond_to? :metadata=\n'
           b'  s.licenses = ["MIT".freeze, "Ruby".freeze]\n'
           b'  s.add_dependency(%q<minitest>.freeze, ["~> 5.0"])\nend\n')
write("fuzz_lang_ruby", [
    b"\0" + GEMSPEC,
    b"\1" + GEMSPEC[:120],
    b"\1Gem::Specification.new { |s| s.name = %q{x}; s.version = Gem::Version.new('1.0'); "
    b"s.licenses = %w[MIT BSD] }",
    b"\0=begin\ns.name = 'no'\n=end\nGem::Specification.new do |spec|\n"
    b"  spec.description = <<~EOS\n    it's s.name = \"x\"\n  EOS\n"
    b"  spec.name = 'real'\n  spec.version = Foo::VERSION\n"
    b"  spec.files = Dir['x'].reject { |f| f =~ /[\"']/ }\nend\n",
    b"\1s.name = \"a#{b \"}\" c}\"\ns.version = \"1\\\"2\"\n",
    b"\1Gem::Specification.new(\"n\", \"1.0\") do |s|\n  s.license = 'Apache-2.0'\nend",
    b"\0s.name = \"unterminated",
    b"\1" + b"s.name = \"#{" * 40,
    b"\2usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
    b"\2usr/local/bundle/gems/rack-2.2.3/rack.gemspec",
    b"\2specifications/x.gemspec",
])

C2 = (b'{"packages": [{"name": "symfony/console", "version": "v5.4.0", '
      b'"license": ["MIT", "GPL-2.0-only"]}, {"name": "a/b"}, 7], "dev": true, '
      b'"dev-package-names": ["symfony/console", 1]}')
write("fuzz_lang_composer", [
    b"\0" + C2,
    b"\0" + C2[:60],
    b'\0[{"name": "guzzlehttp/guzzle", "version": "6.5.5", "license": "MIT"}]',
    b'\0{"packages": {}}',
    b'\0{"a": 1, "a": 2}',
    b'\1{"name": "openssl", "version": "3.0.8", "license": "Apache-2.0", "files": ["x"]}',
    b'\1{"name": "x"}',
    b"\1[]",
    b"\2var/www/vendor/composer/installed.json",
    b"\2opt/conda/conda-meta/zlib-1.2.13-0.json",
    b"\2conda-meta/history",
])

DEPS = (b'{"runtimeTarget": {"name": ".NETCoreApp,Version=v8.0/linux-x64"}, '
        b'"targets": {".NETCoreApp,Version=v8.0/linux-x64": {"App/1.0.0": {}, '
        b'"Newtonsoft.Json/13.0.1": {}}}, "libraries": {"App/1.0.0": {"type": "project"}, '
        b'"Newtonsoft.Json/13.0.1": {"type": "package"}, "x/": {"type": "package"}}}')
write("fuzz_lang_dotnet", [
    b"\0" + DEPS,
    b"\0" + DEPS[:90],
    b'\0{"libraries": {"A/B/1.0": {"type": "package"}, "/1": {"type": "package"}}}',
    b'\0{"targets": [], "libraries": {}}',
    b'\0{"libraries": 7}',
    b"\1app/WebApp.deps.json",
    b"\1.deps.json",
])

write("fuzz_version", [
    b"\x001.0.0.pre.beta.1\x001.0.0-beta.1",
    b"\x000.0.beta\x005.x",
    b"\x00v1.0.0-RC1-dev\x001.0.0.0-patch1",
    b"\x002010-01-02-10-20-30.0.3\x00dev-master as 1.0",
    b"\x001.x-dev\x00201903.0-p2",
    b"\x001.0.0-BETA.X.y.5.77.0+AA\x001.0.0.1",
    b"\x00v0.0.0-20191109021931-daa7c04131f5\x00v2.0.0+incompatible",
    b"\x00v1.2\x001.2.3-pre.0.20191109021931-daa7c04131f5",
])
