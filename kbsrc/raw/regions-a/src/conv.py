import sys, yaml, unicodedata
def fold(s):
    s = s.replace('Đ','D').replace('đ','d').replace('ı','i').replace('İ','I').replace('ʻ','').replace('ʼ',"'").replace('ǁ','').replace('’',"'")
    return ''.join(c for c in unicodedata.normalize('NFKD', s) if not unicodedata.combining(c))
def conv(src, dst):
    out=[]; cc=None; dk=None; suf=None; seen=set()
    for ln in open(src, encoding='utf-8'):
        ln=ln.rstrip('\n').strip()
        if not ln or ln.startswith('#'): continue
        if ln.startswith('@'):
            p=ln[1:].split()
            cc=p[0]; dk=p[1]; suf=[x.strip() for x in ' '.join(p[2:]).split('+') if x.strip()]
            continue
        parts=[x.strip() for x in ln.split('|')]
        name=parts[0]; kind=parts[1] if len(parts)>1 and parts[1] else dk
        al=[a.strip() for a in parts[2].split(';')] if len(parts)>2 and parts[2] else []
        if suf and kind==dk and name.split()[-1] not in {w for x in suf for w in x.split()}: al.extend(f"{name} {x}" for x in suf)
        extra=[]
        for a in [name]+al:
            f=fold(a)
            if f!=a: extra.append(f)
        al=al+extra
        res=[]
        for a in al:
            if a and a!=name and a not in res: res.append(a)
        key=(cc,name)
        if key in seen: print('DUP',key, file=sys.stderr); continue
        seen.add(key)
        e={'country':cc,'name':name,'kind':kind}
        if res: e['aliases']=res
        out.append(e)
    with open(dst,'w',encoding='utf-8') as f:
        yaml.safe_dump(out,f,allow_unicode=True,sort_keys=False,width=200)
    from collections import Counter
    c=Counter(e['country'] for e in out)
    print(dst, len(out), 'entries', len(c), 'countries')
if __name__=='__main__': conv(sys.argv[1], sys.argv[2])
