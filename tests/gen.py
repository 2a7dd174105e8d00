import random
random.seed(1)
def page(target=80_000):
    parts=['<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Japan and New Zealand expand security cooperation</title>\n']
    for i in range(12):
        parts.append(f'<link rel="stylesheet" href="/static/css/style{i}.css?ver=5.{i}" type="text/css" media="all">\n')
    parts.append('<script type="text/plain" data-consent="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>\n')
    parts.append('<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag("js",new Date());gtag("config","G-XXXX");</script>\n')
    parts.append('</head>\n<body class="post-template-default single single-post postid-123 single-format-standard">\n')
    while sum(map(len,parts))<target:
        r=random.random()
        if r<0.5:
            parts.append('<p>Japanese Prime Minister Fumio Kishida and New Zealand Prime Minister Jacinda Ardern held bilateral leaders’ talks in Tokyo on April 21. <a href="https://example.com/tag/japan-'+str(random.randint(1,999))+'" class="tag-link" title="Japan &amp; NZ">Japan</a> and <a href="/tag/nz">New Zealand</a> said.</p>\n')
        elif r<0.7:
            parts.append('<div class="widget"><ul><li><a href="/2022/04/'+str(random.randint(1,99))+'/story" rel="bookmark">Related story title goes here</a></li><li><img src="/img/'+str(random.randint(1,999))+'.jpg" alt="photo" width="300" height="200" loading="lazy"></li></ul></div>\n')
        elif r<0.75:
            parts.append('<script>var x'+str(random.randint(1,999))+' = {"a": "</div>", "b": 1};</script>\n')
        elif r<0.78:
            parts.append('<!-- ad slot '+str(random.randint(1,99))+' -->\n')
        elif r<0.8:
            parts.append('<iframe data-consent="marketing" data-src="https://www.youtube.com/embed/abc" width="560" height="315" title="video"></iframe>\n')
        else:
            parts.append('<span class="byline">by <a href="/author/admin">admin</a></span> <time datetime="2022-04-22T10:00:00+00:00">April 22, 2022</time>\n')
    parts.append('<footer><p>This site uses Akismet</p></footer>\n</body>\n</html>\n')
    return ''.join(parts).encode()
