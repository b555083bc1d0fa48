<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ include file="_header.jspf" %>
<%-- &#32; where a space follows a JSP tag or ${...}: with trimDirectiveWhitespaces Jasper drops it. --%>
<c:set var="o" value="${model}"/>
<h1>Overview</h1>
<section class="cards">
  <div class="card"><span class="label">Queued</span><span class="figure" id="queued"><c:out value="${o.queued}"/></span><span class="note">in the whole store</span></div>
  <div class="card"><span class="label">Running here</span><span class="figure" id="running-here"><c:out value="${o.runningHere}"/></span><span class="note">on this node</span></div>
  <div class="card"><span class="label">Nodes</span><span class="figure"><c:out value="${fn:length(o.nodes)}"/></span><span class="note">sharing the store</span></div>
  <div class="card${o.problems > 0 ? ' warn' : ''}"><span class="label">Invalid files</span><span class="figure"><c:out value="${o.problems}"/></span><span class="note"><a href="${base}/admin/apps">see Apps</a></span></div>
</section>

<section>
  <h2>Server</h2>
  <dl class="facts">
    <dt>Version</dt><dd id="version"><c:out value="${o.version}"/></dd>
    <dt>Node</dt><dd id="node-id"><c:out value="${o.nodeId}"/></dd>
    <dt>Started</dt><dd><c:out value="${o.startedAt}"/> UTC (up <c:out value="${o.uptime}"/>)</dd>
    <dt>Home</dt><dd class="path"><c:out value="${o.home}"/></dd>
    <dt>Job store</dt><dd><c:out value="${o.store}"/></dd>
  </dl>
</section>

<section>
  <h2>Jobs finished</h2>
  <div class="charts">
    <c:forEach items="${o.charts}" var="chart">
      <%@ include file="_chart.jspf" %>
    </c:forEach>
  </div>
</section>

<section>
  <h2>Running jobs</h2>
  <c:choose>
    <c:when test="${empty o.running}"><p class="empty">No job is running.</p></c:when>
    <c:otherwise>
      <div class="table-wrap"><table class="jobs" id="running">
        <thead><tr><th>Job</th><th>App</th><th>Scenario</th><th>State</th><th>Progress</th><th>Client</th><th>Submitted (UTC)</th><th class="number">Running for</th><th>Node</th><th>Message</th></tr></thead>
        <tbody><c:set var="rows" value="${o.running}"/><%@ include file="_job-rows.jspf" %></tbody>
      </table></div>
    </c:otherwise>
  </c:choose>
</section>

<section>
  <h2>Nodes</h2>
  <div class="table-wrap"><table id="nodes">
    <thead><tr><th>Node</th><th>Last heartbeat</th><th class="number">Running jobs</th></tr></thead>
    <tbody>
    <c:forEach items="${o.nodes}" var="node">
      <tr><td><c:out value="${node.nodeId}"/><c:if test="${node.self}">&#32;<span class="tag">this node</span></c:if></td>
        <td><c:out value="${node.heartbeatAge}"/> ago</td><td class="number"><c:out value="${node.runningJobs}"/></td></tr>
    </c:forEach>
    </tbody>
  </table></div>
</section>

<section>
  <h2>Connection pools</h2>
  <div class="table-wrap"><table id="pools">
    <thead><tr><th>Pool</th><th class="number">Active</th><th class="number">Idle</th><th class="number">Max</th><th class="number">Waiting</th></tr></thead>
    <tbody>
    <c:forEach items="${o.pools}" var="pool">
      <tr class="${pool.exhausted ? 'warn' : ''}"><td><c:out value="${pool.name}"/></td>
        <td class="number"><c:out value="${pool.active < 0 ? '?' : pool.active}"/></td>
        <td class="number"><c:out value="${pool.idle < 0 ? '?' : pool.idle}"/></td>
        <td class="number"><c:out value="${pool.max < 0 ? '?' : pool.max}"/></td>
        <td class="number"><c:out value="${pool.waiting < 0 ? '?' : pool.waiting}"/></td></tr>
    </c:forEach>
    </tbody>
  </table></div>
</section>

<section>
  <h2>Effective settings</h2>
  <div class="table-wrap"><table id="settings" class="settings">
    <tbody>
    <c:forEach items="${o.settings}" var="setting">
      <tr><th scope="row"><c:out value="${setting.name}"/></th><td><c:out value="${setting.value}"/></td></tr>
    </c:forEach>
    </tbody>
  </table></div>
</section>
<%@ include file="_footer.jspf" %>
