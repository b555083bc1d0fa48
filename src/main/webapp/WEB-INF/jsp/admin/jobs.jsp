<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="_header.jspf" %>
<c:set var="m" value="${model}"/>
<h1>Jobs</h1>
<form class="filters" id="job-filters" method="get" action="${base}/admin/jobs">
  <label>App <select name="app"><option value="">every app</option>
    <c:forEach items="${m.apps}" var="a"><option value="${fn:escapeXml(a)}" ${a == m.app ? 'selected' : ''}><c:out value="${a}"/></option></c:forEach></select></label>
  <label>State <select name="state"><option value="">any</option>
    <c:forEach items="${m.states}" var="s"><option value="${fn:escapeXml(s)}" ${s == m.state ? 'selected' : ''}><c:out value="${s}"/></option></c:forEach></select></label>
  <label>Scenario <input type="text" name="scenario" value="${fn:escapeXml(m.scenario)}" maxlength="200"></label>
  <label>Submitted from <input type="datetime-local" name="from" value="${fn:escapeXml(m.from)}"></label>
  <label>to <input type="datetime-local" name="to" value="${fn:escapeXml(m.to)}"></label>
  <button type="submit">Filter</button>
  <a href="${base}/admin/jobs">Clear</a>
  <span class="note">Times are UTC.</span>
</form>
<c:if test="${not empty m.error}"><p class="error" id="filter-error"><c:out value="${m.error}"/></p></c:if>
<div class="table-wrap"><table class="jobs" id="jobs">
  <thead><tr><th>Job</th><th>App</th><th>Scenario</th><th>State</th><th>Progress</th><th>Client</th><th>Submitted (UTC)</th><th class="number">Duration</th><th>Node</th><th>Message</th></tr></thead>
  <c:set var="refresh">${base}/admin/jobs/rows?${fn:escapeXml(m.filterQuery)}</c:set>
  <tbody id="job-rows" data-refresh="${m.live ? refresh : ''}" data-refresh-seconds="2">
    <c:set var="rows" value="${m.jobs}"/><%@ include file="_job-rows.jspf" %>
  </tbody>
</table></div>
<c:if test="${empty m.jobs and empty m.error}"><p class="empty" id="no-jobs">No job matches.</p></c:if>
<p class="paging">
  <c:if test="${not m.live}"><a href="${base}/admin/jobs?${fn:escapeXml(m.filterQuery)}">Newest</a></c:if>
  <c:if test="${not empty m.olderHref}"><a id="older" href="${base}/admin/${fn:escapeXml(m.olderHref)}">Older jobs</a></c:if>
  <c:if test="${m.live}"><span class="note live">This page updates itself every 2 s.</span></c:if>
</p>
<%@ include file="_footer.jspf" %>
